/**
 * Management messages over TCP (DESIGN §3): what a standalone API server or a script uses to drive a
 * main node elsewhere. Each maps onto one service use-case; results are the REST API's `data`.
 */
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import type { Message } from '../protocol/messages.ts';
import type { ClusterService } from './service.ts';

const MANAGEMENT_TYPES = new Set([
  'status',
  'list_devices',
  'device_info',
  'task_submit',
  'task_status',
  'task_cancel',
]);

export function isManagementMessage(message: Message): boolean {
  return MANAGEMENT_TYPES.has(message.message_type);
}

export async function handleManagement(service: ClusterService, message: Message): Promise<unknown> {
  const { auth: _auth, ...data } = message.data as Record<string, unknown>;
  switch (message.message_type) {
    case 'status':
      return service.clusterStatus();
    case 'list_devices': {
      const devices = service.listDevices({
        status: optionalString(data.status === 'all' ? undefined : data.status),
        role: optionalString(data.role),
        platform: optionalString(data.platform),
      });
      return { devices, count: devices.length };
    }
    case 'device_info':
      return { device: service.getDevice(requireString(data.device_id, 'device_id')) };
    case 'task_submit': {
      if (Array.isArray(data.tasks))
        return { tasks: (await service.submitTasks(data.tasks)).map((r) => r.task) };
      const { task, created } = await service.submitTask(data.task ?? data);
      return { task_id: task.task_id, task, created };
    }
    case 'task_status':
      return { task: await service.getTask(requireString(data.task_id, 'task_id')) };
    case 'task_cancel':
      return { task: await service.cancelTask(requireString(data.task_id, 'task_id')) };
    default:
      throw new ClusterError(
        ErrorCode.UnsupportedMessage,
        `${message.message_type} is not a management message`,
      );
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ClusterError(ErrorCode.ValidationError, `data.${field} must be a non-empty string`);
  }
  return value;
}
