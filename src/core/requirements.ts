import type { DeviceProfile } from '../protocol/messages.ts';
import type { TaskRequirements } from './task.ts';

/** Whether a device's profile meets a task's requirements (type acceptance is checked separately). */
export function meetsRequirements(profile: DeviceProfile, req: TaskRequirements): boolean {
  if (req.device_id !== undefined && req.device_id !== profile.device_id) return false;
  if (req.min_cpu_cores !== undefined && profile.cpu_count < req.min_cpu_cores) return false;
  if (req.min_memory_gb !== undefined && profile.memory_total_gb < req.min_memory_gb) return false;
  if (req.min_storage_gb !== undefined && (profile.storage_total_gb ?? 0) < req.min_storage_gb) return false;
  if (req.required_platform !== undefined && profile.platform !== req.required_platform) return false;
  if (req.required_role !== undefined && profile.role !== req.required_role) return false;
  if (req.gpu_required === true && !profile.gpu) return false;
  if (req.required_tags !== undefined && req.required_tags.some((tag) => !profile.tags.includes(tag))) {
    return false;
  }
  return true;
}

export function acceptsType(profile: DeviceProfile, taskType: string): boolean {
  return profile.task_types.includes(taskType);
}
