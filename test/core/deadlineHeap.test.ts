import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineHeap } from '../../src/core/deadlineHeap.ts';

test('an empty heap has nothing due', () => {
  const heap = new DeadlineHeap();
  assert.equal(heap.size, 0);
  assert.equal(heap.peek(), undefined);
  assert.deepEqual(heap.popDue(Number.MAX_SAFE_INTEGER), []);
});

test('popDue returns only the entries due at or before now, earliest first', () => {
  const heap = new DeadlineHeap();
  heap.push(30, 'c');
  heap.push(10, 'a');
  heap.push(40, 'd');
  heap.push(20, 'b');
  assert.deepEqual(heap.peek(), { at: 10, key: 'a' });
  assert.deepEqual(heap.popDue(9), []);
  assert.equal(heap.size, 4);
  assert.deepEqual(heap.popDue(20), [
    { at: 10, key: 'a' },
    { at: 20, key: 'b' },
  ]);
  assert.equal(heap.size, 2);
  assert.deepEqual(heap.peek(), { at: 30, key: 'c' });
  heap.push(5, 'early');
  assert.deepEqual(heap.popDue(35), [
    { at: 5, key: 'early' },
    { at: 30, key: 'c' },
  ]);
  assert.deepEqual(heap.popDue(1000), [{ at: 40, key: 'd' }]);
  assert.equal(heap.size, 0);
});

test('entries with the same time are all due together; a key names one deadline, pushing it again moves it', () => {
  const heap = new DeadlineHeap();
  heap.push(7, 'x');
  heap.push(7, 'y');
  heap.push(7, 'x');
  assert.equal(heap.size, 2);
  assert.deepEqual(
    heap
      .popDue(7)
      .map((d) => d.key)
      .sort(),
    ['x', 'y'],
  );
  heap.push(50, 'later');
  heap.push(10, 'moved');
  heap.push(60, 'moved');
  assert.deepEqual(heap.peek(), { at: 50, key: 'later' });
  heap.push(5, 'later');
  assert.deepEqual(heap.popDue(100), [
    { at: 5, key: 'later' },
    { at: 60, key: 'moved' },
  ]);
});

test('delete drops a deadline wherever it sits; deleting an unknown key does nothing', () => {
  const heap = new DeadlineHeap();
  for (let i = 0; i < 10; i++) heap.push(i * 10, `k${i}`);
  heap.delete('k0');
  heap.delete('k5');
  heap.delete('k9');
  heap.delete('nothing');
  assert.equal(heap.size, 7);
  assert.deepEqual(
    heap.popDue(Infinity).map((d) => d.key),
    ['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8'],
  );
  heap.push(1, 'k0');
  assert.deepEqual(heap.popDue(1), [{ at: 1, key: 'k0' }], 'a deleted key may be pushed again');
});

test('many random entries come out sorted, interleaved with pushes', () => {
  let seed = 1;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const heap = new DeadlineHeap();
  const model: number[] = [];
  const out: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 200; i++) {
      const at = rand(100_000);
      heap.push(at, `k${round}.${i}:${at}`);
      model.push(at);
    }
    const now = rand(100_000);
    const due = heap.popDue(now);
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
    if (model.length > 0) assert.equal(heap.peek()!.at, Math.min(...model));
  }
  const rest = heap.popDue(Infinity).map((d) => d.at);
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
  const heap = new DeadlineHeap();
  const model = new Map<string, number>();
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) {
      const key = `k${rand(300)}`;
      const op = rand(3);
      if (op === 2) {
        heap.delete(key);
        model.delete(key);
      } else {
        const at = rand(10_000) + round * 1000;
        heap.push(at, key);
        model.set(key, at);
      }
    }
    assert.equal(heap.size, model.size);
    const now = round * 1000 + rand(5000);
    const due = heap.popDue(now);
    const expected = [...model].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    assert.deepEqual(
      due.map((d) => d.at),
      expected.map(([, at]) => at),
    );
    assert.deepEqual(new Set(due.map((d) => d.key)), new Set(expected.map(([key]) => key)));
    for (const [key] of expected) model.delete(key);
  }
});
