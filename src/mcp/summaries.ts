/** The one-line (or few-line) text an agent reads next to a tool's structured result. */
import type { ClusterStatus } from '../main/service.ts';
import type { DeviceView, TaskView } from '../main/views.ts';

/** Long outputs are in structuredContent in full; the summary keeps only their start. */
const MAX_SUMMARY_OUTPUT = 2000;

export function statusSummary(status: ClusterStatus): string {
  const stats = status.cluster_stats;
  const active = Object.entries(status.tasks_by_status)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return (
    `${stats.online_devices}/${stats.total_devices} devices online ` +
    `(${stats.total_resources.cpu_cores} CPU cores, ${stats.total_resources.memory_gb} GB memory); ` +
    `tasks: ${active.length ? active.join(', ') : 'none'}; queue depth ${status.queue_depth}`
  );
}

export function deviceLine(device: DeviceView): string {
  const tags = device.tags.length ? ` [${device.tags.join(', ')}]` : '';
  return (
    `${device.device_id}: ${device.status}, ${device.role} on ${device.platform}/${device.arch}, ` +
    `${device.cpu_count} cores, ${device.memory_total_gb} GB, ${device.free_slots} free slots${tags}`
  );
}

export function taskSummary(task: TaskView): string {
  const where = task.assigned_device_id ? ` on ${task.assigned_device_id}` : '';
  const head = `task ${task.task_id} (${task.task_type}) is ${task.status}${where}, attempt ${task.attempt}`;
  if (!task.result) return head;
  if (task.result.error) return `${head}: ${task.result.error}`;
  return `${head}; result: ${clip(JSON.stringify(task.result.result_data) ?? 'null')}`;
}

export function clip(text: string, max = MAX_SUMMARY_OUTPUT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
