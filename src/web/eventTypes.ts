/**
 * The names of the cluster's SSE events. EventSource delivers a named event (`event: task.success`)
 * only to a listener for that name, so the page lists them; a test keeps this list in step with the
 * events the core emits.
 */

export const TASK_EVENT_TYPES = [
  'task.submitted',
  'task.queued',
  'task.assigned',
  'task.started',
  'task.success',
  'task.failed',
  'task.cancelled',
  'task.timeout',
  'task.retrying',
  'task.resubmitted',
  'task.result_fenced',
  'task.speculative',
  'task.attempt_dropped',
] as const;

export const DEVICE_EVENT_TYPES = [
  'device.online',
  'device.reconnected',
  'device.disconnected',
  'device.offline',
  'device.draining',
  'device.undrained',
  'device.removed',
  'device.paused',
  'device.limited',
  'device.resumed',
  'device.wake_sent',
] as const;

/** Unnumbered notices (`metrics=1`): heartbeats' metrics. */
export const NOTICE_TYPES = ['device.metrics'] as const;

export const ALL_EVENT_TYPES: readonly string[] = [
  ...TASK_EVENT_TYPES,
  ...DEVICE_EVENT_TYPES,
  ...NOTICE_TYPES,
];

export const TERMINAL_TASK_EVENTS: readonly string[] = [
  'task.success',
  'task.failed',
  'task.cancelled',
  'task.timeout',
];

/** What arrives in an event's `data`. */
export interface ClusterEventData {
  id?: number;
  type: string;
  at: number;
  task_id?: string;
  device_id?: string;
  data?: Record<string, unknown>;
}

/** Calls `handler` for every known event name (and unnamed messages) of an EventSource. */
export function listenAll(source: EventSource, handler: (event: ClusterEventData) => void): void {
  const onMessage = (message: MessageEvent<string>) => {
    try {
      handler(JSON.parse(message.data) as ClusterEventData);
    } catch {
      // A malformed event is dropped; the next snapshot corrects whatever it would have changed.
    }
  };
  for (const type of ALL_EVENT_TYPES) source.addEventListener(type, onMessage);
  source.addEventListener('message', onMessage);
}
