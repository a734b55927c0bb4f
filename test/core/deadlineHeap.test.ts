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

test('entries with the same time are all due together and duplicates are kept', () => {
  const heap = new DeadlineHeap();
  heap.push(7, 'x');
  heap.push(7, 'y');
  heap.push(7, 'x');
  const due = heap.popDue(7);
  assert.equal(due.length, 3);
  assert.deepEqual(due.map((d) => d.key).sort(), ['x', 'x', 'y']);
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
      heap.push(at, `k${at}`);
      model.push(at);
    }
    const now = rand(100_000);
    const due = heap.popDue(now);
    for (const d of due) {
      assert.ok(d.at <= now);
      assert.equal(d.key, `k${d.at}`);
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
