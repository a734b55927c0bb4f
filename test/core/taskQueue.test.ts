import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Priority } from '../../src/protocol/messages.ts';
import { PRIORITY_RANK } from '../../src/core/task.ts';
import { TaskQueue } from '../../src/core/taskQueue.ts';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

test('an empty queue yields nothing', () => {
  const q = new TaskQueue();
  assert.equal(q.size, 0);
  assert.deepEqual([...q.ordered()], []);
});

test('order is priority first, then age', () => {
  const q = new TaskQueue();
  q.push('a', 1, 'normal');
  q.push('b', 2, 'low');
  q.push('c', 3, 'urgent');
  q.push('d', 4, 'normal');
  q.push('e', 5, 'high');
  q.push('f', 6, 'urgent');
  assert.deepEqual([...q.ordered()], ['c', 'f', 'e', 'a', 'd', 'b']);
  assert.equal(q.size, 6);
  assert.equal(q.has('d'), true);
  assert.equal(q.has('zz'), false);
});

test('a retried task (older seq) goes back in front of younger ones of the same priority', () => {
  const q = new TaskQueue();
  for (const [id, seq] of [
    ['t1', 1],
    ['t2', 2],
    ['t3', 3],
    ['t4', 4],
  ] as const) {
    q.push(id, seq, 'normal');
  }
  // t2 and t3 are placed, then come back after failing.
  q.remove('t2');
  q.remove('t3');
  q.push('t5', 5, 'normal');
  q.push('t3', 3, 'normal');
  q.push('t2', 2, 'normal');
  assert.deepEqual([...q.ordered()], ['t1', 't2', 't3', 't4', 't5']);
  // It does not jump ahead of a higher priority.
  q.push('u', 9, 'high');
  assert.deepEqual([...q.ordered()], ['u', 't1', 't2', 't3', 't4', 't5']);
});

test('pushing an id that is already queued is ignored', () => {
  const q = new TaskQueue();
  q.push('a', 1, 'low');
  q.push('b', 2, 'low');
  q.push('a', 1, 'urgent');
  q.push('a', 7, 'low');
  assert.equal(q.size, 2);
  assert.deepEqual([...q.ordered()], ['a', 'b']);
});

test('remove is lazy but takes effect at once; a removed-then-re-pushed id is yielded once', () => {
  const q = new TaskQueue();
  q.push('a', 1, 'normal');
  q.push('b', 2, 'normal');
  q.push('c', 3, 'normal');
  q.remove('b');
  assert.equal(q.size, 2);
  assert.equal(q.has('b'), false);
  assert.deepEqual([...q.ordered()], ['a', 'c']);
  q.remove('b'); // Removing twice, or an unknown id, changes nothing.
  q.remove('nope');
  assert.equal(q.size, 2);

  q.push('b', 2, 'normal');
  assert.deepEqual([...q.ordered()], ['a', 'b', 'c']);
  // Re-pushed with another priority: it moves, and the stale entry stays hidden.
  q.remove('b');
  q.push('b', 2, 'urgent');
  q.remove('a');
  q.push('a', 1, 'normal');
  q.remove('a');
  q.push('a', 1, 'normal');
  assert.deepEqual([...q.ordered()], ['b', 'a', 'c']);
  assert.equal(q.size, 3);
});

test('removing the yielded id while iterating is allowed', () => {
  const q = new TaskQueue();
  for (let i = 0; i < 10; i++) q.push(`t${i}`, i, i % 2 === 0 ? 'high' : 'low');
  const seen: string[] = [];
  for (const id of q.ordered()) {
    seen.push(id);
    if (id !== 't3') q.remove(id);
  }
  assert.deepEqual(seen, ['t0', 't2', 't4', 't6', 't8', 't1', 't3', 't5', 't7', 't9']);
  assert.deepEqual([...q.ordered()], ['t3']);
});

test('compaction after many removals keeps order (random push/remove/re-push against a model)', () => {
  const rand = lcg(42);
  const q = new TaskQueue();
  const model = new Map<string, { seq: number; priority: Priority }>();
  const known: { id: string; seq: number }[] = [];
  const expected = () =>
    [...model.entries()]
      .sort(([, a], [, b]) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.seq - b.seq)
      .map(([id]) => id);

  for (let round = 0; round < 4; round++) {
    // Push 1500 new tasks...
    for (let i = 0; i < 1500; i++) {
      const seq = known.length + 1;
      const id = `t${seq}`;
      const priority = PRIORITIES[rand(4)]!;
      known.push({ id, seq });
      q.push(id, seq, priority);
      model.set(id, { seq, priority });
    }
    // ...remove most of them (over 1024 and more than stay live, so the lanes compact)...
    for (const id of [...model.keys()]) {
      if (rand(10) < 8) {
        q.remove(id);
        model.delete(id);
      }
    }
    // ...and bring some back as retries with their old seq.
    for (let i = 0; i < 200; i++) {
      const { id, seq } = known[rand(known.length)]!;
      if (model.has(id)) continue;
      const priority = PRIORITIES[rand(4)]!;
      q.push(id, seq, priority);
      model.set(id, { seq, priority });
    }
    const order = [...q.ordered()];
    assert.deepEqual(order, expected(), `round ${round}`);
    assert.equal(q.size, model.size);
    assert.equal(new Set(order).size, order.length, 'each id once');
  }
});
