import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UuidV7 } from '../../src/main/uuidv7.ts';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are RFC 9562 version 7 UUIDs carrying the time they were made', () => {
  const at = Date.UTC(2026, 10, 24, 10, 0, 0, 123);
  const id = new UuidV7(() => at).next();
  assert.match(id, FORMAT);
  assert.equal(parseInt(id.replaceAll('-', '').slice(0, 12), 16), at);
});

test('ids sort in the order they were made, within one millisecond and when the clock steps back', () => {
  const times = [1000, 1000, 1000, 999, 500, 1001, 1001, 2000];
  let i = 0;
  const ids = new UuidV7(() => times[Math.min(i++, times.length - 1)]!);
  const made = Array.from({ length: 20 }, () => ids.next());
  assert.deepEqual([...made].sort(), made);
  assert.equal(new Set(made).size, made.length);
});

test('more than 4,096 ids in one millisecond stay ordered and unique', () => {
  const ids = new UuidV7(() => 5000);
  const made = Array.from({ length: 10_000 }, () => ids.next());
  for (const id of made) assert.match(id, FORMAT);
  assert.deepEqual([...made].sort(), made);
  assert.equal(new Set(made).size, made.length);
});

test('100,000 ids from the real clock are unique and well formed', () => {
  const ids = new UuidV7();
  const made = new Set<string>();
  for (let n = 0; n < 100_000; n++) made.add(ids.next());
  assert.equal(made.size, 100_000);
  for (const id of [...made].slice(0, 1000)) assert.match(id, FORMAT);
});
