/**
 * The scheduler is a function from a snapshot to a plan (as in Nomad): given the queued tasks in
 * placement order and the devices that could take work, it says which task goes where. It changes
 * nothing; the cluster applies the plan.
 *
 * Placement: eligible devices (free slot, accepts the type, meets the requirements) ranked: a
 * flapping device last, then by load (running / slots), then — for CPU-heavy tasks — speed score,
 * then free memory, then CPU count; ties broken round-robin. A task that fits no device is skipped,
 * so it never blocks the tasks behind it. `slots` are the effective slots (policies applied).
 */
import type { DeviceProfile } from '../protocol/messages.ts';
import { acceptsType, meetsRequirements } from './requirements.ts';
import { isCpuHeavy, type TaskRequirements } from './task.ts';

export interface Candidate {
  device_id: string;
  profile: DeviceProfile;
  slots: number;
  running: number;
  memory_available_gb: number | null;
  /** Benchmark score, higher is faster; null = unknown (ranks as a typical device). */
  speed_score?: number | null;
  /** Its connection keeps dropping: used only when no steadier device fits. */
  flapping?: boolean;
}

export interface PlacementRequest {
  task_id: string;
  task_type: string;
  requirements: TaskRequirements;
}

export interface Placement {
  task_id: string;
  device_id: string;
}

export interface Plan {
  placements: Placement[];
  /** Where round-robin tie-breaking continues next time. */
  cursor: number;
}

export function planPlacements(
  tasks: Iterable<PlacementRequest>,
  candidates: readonly Candidate[],
  cursor: number,
): Plan {
  const load = candidates.map((c) => ({ ...c }));
  let freeSlots = load.reduce((sum, c) => sum + Math.max(0, c.slots - c.running), 0);
  const placements: Placement[] = [];
  const n = load.length;
  // The cursor may come from a call with more candidates; `better` needs it in [0, n).
  if (n > 0) cursor = ((cursor % n) + n) % n;
  for (const task of tasks) {
    if (freeSlots === 0) break;
    const heavy = isCpuHeavy(task);
    let best = -1;
    for (let i = 0; i < n; i++) {
      const c = load[i]!;
      if (c.running >= c.slots) continue;
      if (!acceptsType(c.profile, task.task_type) || !meetsRequirements(c.profile, task.requirements))
        continue;
      if (best === -1 || better(c, load[best]!, i, best, cursor, n, heavy)) best = i;
    }
    if (best === -1) continue;
    const chosen = load[best]!;
    chosen.running++;
    freeSlots--;
    cursor = (best + 1) % Math.max(1, n);
    placements.push({ task_id: task.task_id, device_id: chosen.device_id });
  }
  return { placements, cursor };
}

/** A device without a benchmark counts as typical (100) rather than as slow or fast. */
const TYPICAL_SPEED = 100;

function better(
  a: Candidate,
  b: Candidate,
  ia: number,
  ib: number,
  cursor: number,
  n: number,
  cpuHeavy: boolean,
): boolean {
  const flapA = a.flapping === true;
  if (flapA !== (b.flapping === true)) return !flapA;
  const loadA = a.running / a.slots;
  const loadB = b.running / b.slots;
  if (loadA !== loadB) return loadA < loadB;
  if (cpuHeavy) {
    const speedA = a.speed_score ?? TYPICAL_SPEED;
    const speedB = b.speed_score ?? TYPICAL_SPEED;
    if (speedA !== speedB) return speedA > speedB;
  }
  const memA = a.memory_available_gb ?? a.profile.memory_total_gb;
  const memB = b.memory_available_gb ?? b.profile.memory_total_gb;
  if (memA !== memB) return memA > memB;
  if (a.profile.cpu_count !== b.profile.cpu_count) return a.profile.cpu_count > b.profile.cpu_count;
  return (ia - cursor + n) % n < (ib - cursor + n) % n;
}
