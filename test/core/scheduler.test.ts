import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceProfile } from '../../src/protocol/messages.ts';
import type { TaskRequirements } from '../../src/core/task.ts';
import { planPlacements, type Candidate, type PlacementRequest } from '../../src/core/scheduler.ts';
import { profile } from './fixtures.ts';

function candidate(
  id: string,
  opts: { slots?: number; running?: number; mem?: number | null; profile?: Partial<DeviceProfile> } = {},
): Candidate {
  const slots = opts.slots ?? 4;
  return {
    device_id: id,
    profile: profile(id, { max_concurrent_tasks: slots, ...opts.profile }),
    slots,
    running: opts.running ?? 0,
    memory_available_gb: opts.mem === undefined ? null : opts.mem,
  };
}

function task(id: string, requirements: TaskRequirements = {}, taskType = 'echo'): PlacementRequest {
  return { task_id: id, task_type: taskType, requirements };
}

function where(tasks: PlacementRequest[], candidates: Candidate[], cursor = 0): Record<string, string> {
  const plan = planPlacements(tasks, candidates, cursor);
  return Object.fromEntries(plan.placements.map((p) => [p.task_id, p.device_id]));
}

test('no candidates or no tasks: an empty plan and the cursor unchanged', () => {
  assert.deepEqual(planPlacements([task('t1')], [], 3), { placements: [], cursor: 3 });
  assert.deepEqual(planPlacements([], [candidate('a')], 0), { placements: [], cursor: 0 });
});

test('each requirement field sends the task to the one device that meets it', () => {
  // "good" is always the less attractive device otherwise: busier, less memory, fewer cores, second in order.
  const cases: [TaskRequirements, Partial<DeviceProfile>, Partial<DeviceProfile>][] = [
    [{ min_cpu_cores: 8 }, { cpu_count: 2 }, { cpu_count: 8 }],
    [{ min_memory_gb: 16 }, { memory_total_gb: 8 }, { memory_total_gb: 16 }],
    [{ min_storage_gb: 500 }, { storage_total_gb: 100 }, { storage_total_gb: 1000 }],
    [{ required_platform: 'android' }, { platform: 'linux' }, { platform: 'android' }],
    [{ required_role: 'nas' }, { role: 'worker' }, { role: 'nas' }],
    [{ required_tags: ['gpu', 'ssd'] }, { tags: ['ssd'] }, { tags: ['ssd', 'gpu'] }],
    [{ gpu_required: true }, { gpu: null }, { gpu: 'RTX' }],
    [{ device_id: 'good' }, {}, {}],
  ];
  for (const [req, badProfile, goodProfile] of cases) {
    const bad = candidate('bad', { running: 0, mem: 64, profile: { cpu_count: 16, ...badProfile } });
    const good = candidate('good', { running: 3, mem: 1, profile: { cpu_count: 1, ...goodProfile } });
    assert.deepEqual(where([task('t', req)], [bad, good]), { t: 'good' }, JSON.stringify(req));
    assert.deepEqual(where([task('t', req)], [bad]), {}, `${JSON.stringify(req)} on the bad device only`);
  }
});

test('a device gets only task types it accepts', () => {
  const a = candidate('a', { profile: { task_types: ['echo'] } });
  const b = candidate('b', { running: 3, profile: { task_types: ['echo', 'python_eval'] } });
  assert.deepEqual(where([task('p', {}, 'python_eval'), task('e', {}, 'echo')], [a, b]), { p: 'b', e: 'a' });
  assert.deepEqual(where([task('x', {}, 'http_request')], [a, b]), {});
});

test('only free slots are used, counting the ones this plan fills', () => {
  const full = candidate('full', { slots: 2, running: 2, mem: 100 });
  const two = candidate('two', { slots: 2, running: 0 });
  const plan = planPlacements([task('t1'), task('t2'), task('t3')], [full, two], 0);
  assert.deepEqual(
    plan.placements.map((p) => p.device_id),
    ['two', 'two'],
  );
  // The candidates passed in are not modified.
  assert.equal(two.running, 0);
  assert.equal(full.running, 2);
});

test('the least-loaded device (running / slots) comes first', () => {
  const busy = candidate('busy', { slots: 2, running: 1, mem: 100, profile: { cpu_count: 64 } });
  const big = candidate('big', { slots: 8, running: 2 });
  // 2/8 beats 1/2 although it runs more tasks.
  assert.deepEqual(where([task('t')], [busy, big]), { t: 'big' });
});

test('equal load: more free memory wins, falling back to total memory when not measured', () => {
  const a = candidate('a', { mem: 2, profile: { memory_total_gb: 32, cpu_count: 16 } });
  const b = candidate('b', { mem: 3, profile: { memory_total_gb: 4 } });
  assert.deepEqual(where([task('t')], [a, b]), { t: 'b' });
  const c = candidate('c', { mem: null, profile: { memory_total_gb: 6 } });
  assert.deepEqual(where([task('t')], [a, b, c]), { t: 'c' });
});

test('equal load and memory: more CPU cores win', () => {
  const a = candidate('a', { profile: { cpu_count: 2 } });
  const b = candidate('b', { profile: { cpu_count: 8 } });
  const c = candidate('c', { profile: { cpu_count: 4 } });
  assert.deepEqual(where([task('t')], [a, b, c]), { t: 'b' });
});

test('load ranks above memory, memory above CPU', () => {
  const loadedRich = candidate('loadedRich', { running: 1, mem: 64, profile: { cpu_count: 64 } });
  const idlePoor = candidate('idlePoor', { running: 0, mem: 1, profile: { cpu_count: 1 } });
  assert.deepEqual(where([task('t')], [loadedRich, idlePoor]), { t: 'idlePoor' });
  const memRich = candidate('memRich', { mem: 9, profile: { cpu_count: 1 } });
  const cpuRich = candidate('cpuRich', { mem: 8, profile: { cpu_count: 64 } });
  assert.deepEqual(where([task('t')], [cpuRich, memRich]), { t: 'memRich' });
});

test('within one plan, tasks spread as the chosen device gets busier', () => {
  const a = candidate('a', { slots: 2, mem: 16 });
  const b = candidate('b', { slots: 2, mem: 8 });
  const plan = planPlacements([task('t1'), task('t2'), task('t3'), task('t4'), task('t5')], [a, b], 0);
  assert.deepEqual(
    plan.placements.map((p) => `${p.task_id}:${p.device_id}`),
    ['t1:a', 't2:b', 't3:a', 't4:b'],
  );
});

test('identical devices take tasks in turn across calls, using the returned cursor', () => {
  const devices = [candidate('a'), candidate('b')];
  let cursor = 0;
  const chosen: string[] = [];
  for (let i = 0; i < 5; i++) {
    const plan = planPlacements([task(`t${i}`)], devices, cursor);
    chosen.push(plan.placements[0]!.device_id);
    cursor = plan.cursor;
  }
  assert.deepEqual(chosen, ['a', 'b', 'a', 'b', 'a']);
  // Without carrying the cursor the same device wins every time.
  assert.equal(planPlacements([task('x')], devices, 0).placements[0]!.device_id, 'a');
  assert.equal(planPlacements([task('x')], devices, 1).placements[0]!.device_id, 'b');
});

test('round-robin covers three identical devices', () => {
  const devices = [candidate('a'), candidate('b'), candidate('c')];
  let cursor = 0;
  const chosen: string[] = [];
  for (let i = 0; i < 6; i++) {
    const plan = planPlacements([task(`t${i}`)], devices, cursor);
    chosen.push(plan.placements[0]!.device_id);
    cursor = plan.cursor;
  }
  assert.deepEqual(chosen, ['a', 'b', 'c', 'a', 'b', 'c']);
});

test('a cursor from a call with more candidates wraps around the current ones', () => {
  const two = [candidate('a'), candidate('b')];
  // 3 mod 2 = 1: continue at b.
  assert.equal(planPlacements([task('t')], two, 3).placements[0]!.device_id, 'b');
  assert.equal(planPlacements([task('t')], two, 4).placements[0]!.device_id, 'a');
  const three = [candidate('a'), candidate('b'), candidate('c')];
  assert.equal(planPlacements([task('t')], three, 4).placements[0]!.device_id, 'b');
  assert.equal(planPlacements([task('t')], three, 5).placements[0]!.device_id, 'c');
});

test('a task no device can satisfy is skipped without blocking later tasks', () => {
  const a = candidate('a', { slots: 1 });
  const plan = planPlacements([task('big', { min_memory_gb: 1000 }), task('small'), task('later')], [a], 0);
  assert.deepEqual(plan.placements, [{ task_id: 'small', device_id: 'a' }]);
});

test('planning stops once every slot is taken instead of reading the whole queue', () => {
  let pulled = 0;
  function* endless(): Generator<PlacementRequest> {
    while (pulled < 100_000) yield task(`t${++pulled}`);
  }
  const plan = planPlacements(endless(), [candidate('a', { slots: 2 }), candidate('b', { slots: 1 })], 0);
  assert.equal(plan.placements.length, 3);
  assert.ok(pulled <= 4, `pulled ${pulled} tasks`);
  // No free slot at all: nothing is taken from the stream beyond the first look.
  pulled = 0;
  assert.deepEqual(planPlacements(endless(), [candidate('a', { slots: 1, running: 1 })], 0).placements, []);
  assert.ok(pulled <= 1);
});
