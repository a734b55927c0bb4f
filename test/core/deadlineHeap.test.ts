import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineHeap } from '../../src/core/deadlineHeap.ts';

/** Most tests name deadlines by an id alone: one kind, no attempt. */
class KeyedHeap extends DeadlineHeap {
  pushKey(at: number, key: string): void {
    this.push(at, 'k', key);
  }
  deleteKey(key: string): void {
    this.delete('k', key);
  }
  popKeys(now: number): { at: number; key: string }[] {
    return this.popDue(now).map((d) => ({ at: d.at, key: d.id }));
  }
}

test('an empty heap has nothing due', () => {
  const heap = new KeyedHeap();
  assert.equal(heap.size, 0);
  assert.equal(heap.peekAt(), undefined);
  assert.deepEqual(heap.popKeys(Number.MAX_SAFE_INTEGER), []);
});

test('popDue returns only the entries due at or before now, earliest first', () => {
  const heap = new KeyedHeap();
  heap.pushKey(30, 'c');
  heap.pushKey(10, 'a');
  heap.pushKey(40, 'd');
  heap.pushKey(20, 'b');
  assert.equal(heap.peekAt(), 10);
  assert.deepEqual(heap.popKeys(9), []);
  assert.equal(heap.size, 4);
  assert.deepEqual(heap.popKeys(20), [
    { at: 10, key: 'a' },
    { at: 20, key: 'b' },
  ]);
  assert.equal(heap.size, 2);
  assert.equal(heap.peekAt(), 30);
  heap.pushKey(5, 'early');
  assert.deepEqual(heap.popKeys(35), [
    { at: 5, key: 'early' },
    { at: 30, key: 'c' },
  ]);
  assert.deepEqual(heap.popKeys(1000), [{ at: 40, key: 'd' }]);
  assert.equal(heap.size, 0);
});

test('entries with the same time are all due together; a key names one deadline, pushing it again moves it', () => {
  const heap = new KeyedHeap();
  heap.pushKey(7, 'x');
  heap.pushKey(7, 'y');
  heap.pushKey(7, 'x');
  assert.equal(heap.size, 2);
  assert.deepEqual(
    heap
      .popKeys(7)
      .map((d) => d.key)
      .sort(),
    ['x', 'y'],
  );
  heap.pushKey(50, 'later');
  heap.pushKey(10, 'moved');
  heap.pushKey(60, 'moved');
  assert.equal(heap.peekAt(), 50);
  heap.pushKey(5, 'later');
  assert.deepEqual(heap.popKeys(100), [
    { at: 5, key: 'later' },
    { at: 60, key: 'moved' },
  ]);
});

test('delete drops a deadline wherever it sits; deleting an unknown key does nothing', () => {
  const heap = new KeyedHeap();
  for (let i = 0; i < 10; i++) heap.pushKey(i * 10, `k${i}`);
  heap.deleteKey('k0');
  heap.deleteKey('k5');
  heap.deleteKey('k9');
  heap.deleteKey('nothing');
  assert.equal(heap.size, 7);
  assert.deepEqual(
    heap.popKeys(Infinity).map((d) => d.key),
    ['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8'],
  );
  heap.pushKey(1, 'k0');
  assert.deepEqual(heap.popKeys(1), [{ at: 1, key: 'k0' }], 'a deleted key may be pushed again');
});

test('many random entries come out sorted, interleaved with pushes', () => {
  let seed = 1;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const heap = new KeyedHeap();
  const model: number[] = [];
  const out: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 200; i++) {
      const at = rand(100_000);
      heap.pushKey(at, `k${round}.${i}:${at}`);
      model.push(at);
    }
    const now = rand(100_000);
    const due = heap.popKeys(now);
    for (const d of due) {
      assert.ok(d.at <= now);
      assert.ok(d.key.endsWith(`:${d.at}`));
    }
    const expected = model.filter((at) => at <= now).sort((a, b) => a - b);
    assert.deepEqual(
      due.map((d) => d.at),
      expected,
    );
    out.push(...expected);
    model.splice(0, model.length, ...model.filter((at) => at > now));
    assert.equal(heap.size, model.length);
    if (model.length > 0) assert.equal(heap.peekAt(), Math.min(...model));
  }
  const rest = heap.popKeys(Infinity).map((d) => d.at);
  assert.deepEqual(
    rest,
    [...model].sort((a, b) => a - b),
  );
  assert.equal(out.length + rest.length, 20 * 200);
});

test('random pushes, moves and deletes: what pops is exactly what the model still holds, in order', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const heap = new KeyedHeap();
  const model = new Map<string, number>();
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) {
      const key = `k${rand(300)}`;
      const op = rand(3);
      if (op === 2) {
        heap.deleteKey(key);
        model.delete(key);
      } else {
        const at = rand(10_000) + round * 1000;
        heap.pushKey(at, key);
        model.set(key, at);
      }
    }
    assert.equal(heap.size, model.size);
    const now = round * 1000 + rand(5000);
    const due = heap.popKeys(now);
    const expected = [...model].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    assert.deepEqual(
      due.map((d) => d.at),
      expected.map(([, at]) => at),
    );
    assert.deepEqual(new Set(due.map((d) => d.key)), new Set(expected.map(([key]) => key)));
    for (const [key] of expected) model.delete(key);
  }
});

test('kind and attempt are part of the name: one id holds several deadlines, each moved and deleted alone', () => {
  const heap = new DeadlineHeap();
  heap.push(30, 'timeout', 'task-1', 1);
  heap.push(10, 'straggler', 'task-1', 1);
  heap.push(40, 'timeout', 'task-1', 2);
  heap.push(20, 'retry', 'task-1');
  heap.push(25, 'timeout', 'task-2', 1);
  assert.equal(heap.size, 5);
  heap.push(35, 'timeout', 'task-1', 1);
  assert.equal(heap.size, 5, 'the same name moves');
  heap.delete('timeout', 'task-1', 2);
  heap.delete('retry', 'task-1');
  heap.delete('timeout', 'task-1', 3);
  heap.delete('straggler', 'task-2', 1);
  assert.equal(heap.size, 3);
  assert.deepEqual(heap.popDue(Infinity), [
    { at: 10, kind: 'straggler', id: 'task-1', attempt: 1 },
    { at: 25, kind: 'timeout', id: 'task-2', attempt: 1 },
    { at: 35, kind: 'timeout', id: 'task-1', attempt: 1 },
  ]);
  heap.push(5, 'timeout', 'task-1', 2);
  assert.deepEqual(heap.popDue(5), [{ at: 5, kind: 'timeout', id: 'task-1', attempt: 2 }]);
});

test('deleteAll drops the deadlines of one id and the given kinds, and leaves the rest in order', () => {
  const heap = new DeadlineHeap();
  const taskKinds = ['timeout', 'retry'];
  for (let i = 0; i < 20; i++) heap.push(100 - i, 'timeout', `task-${i % 4}`, i);
  heap.push(50, 'retry', 'task-1');
  heap.push(60, 'heartbeat', 'task-1'); // a device that happens to carry the same id
  heap.push(70, 'timeout', 'task-1', 99);
  heap.deleteAll('task-1', taskKinds);
  heap.deleteAll('nobody', taskKinds);
  const due = heap.popDue(Infinity);
  assert.equal(due.length, 16);
  assert.deepEqual(
    due.filter((d) => d.id === 'task-1'),
    [{ at: 60, kind: 'heartbeat', id: 'task-1', attempt: 0 }],
  );
  assert.deepEqual(
    due.map((d) => d.at),
    due.map((d) => d.at).sort((a, b) => a - b),
  );
  heap.push(1, 'timeout', 'task-1', 1);
  assert.deepEqual(heap.popDue(1), [{ at: 1, kind: 'timeout', id: 'task-1', attempt: 1 }]);
});
