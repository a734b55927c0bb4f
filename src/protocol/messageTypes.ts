/**
 * Every message type on the wire. Strings are wire-stable: add new ones, never rename or repurpose.
 */
export const MessageType = {
  Register: 'register',
  Heartbeat: 'heartbeat',
  Status: 'status',
  ListDevices: 'list_devices',
  DeviceInfo: 'device_info',
  TaskAssign: 'task_assign',
  TaskStatus: 'task_status',
  TaskResult: 'task_result',
  TaskCancel: 'task_cancel',
  TaskRequest: 'task_request',
  TaskSubmit: 'task_submit',
  Ack: 'ack',
  Error: 'error',
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

const known = new Set<string>(Object.values(MessageType));

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && known.has(value);
}
