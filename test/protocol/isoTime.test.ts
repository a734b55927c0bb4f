import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoAtMs, isoTimestamp, nowIso } from '../../src/protocol/isoTime.ts';

test('isoTimestamp gives what toISOString gives', () => {
  const dates = [
    new Date(0),
    new Date('2026-11-24T05:50:08.007Z'),
    new Date('1999-12-31T23:59:59.999Z'),
    new Date('2000-02-29T00:00:00.000Z'),
    new Date('0001-01-01T00:00:00.000Z'),
    new Date('9999-12-31T23:59:59.999Z'),
    new Date(),
  ];
  // Spread over 0000-9999, every field's padding included.
  for (let i = 0; i < 2000; i++) dates.push(new Date(-62_000_000_000_000 + i * 126_000_000_000 + i * 7));
  for (const date of dates) assert.equal(isoTimestamp(date), date.toISOString());
  assert.match(isoTimestamp(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('isoTimestamp outside years 0-9999 and for invalid dates behaves as toISOString', () => {
  for (const date of [new Date('-000001-06-01T00:00:00Z'), new Date('+010000-01-01T00:00:00Z')]) {
    assert.equal(isoTimestamp(date), date.toISOString());
  }
  assert.throws(() => isoTimestamp(new Date(Number.NaN)), RangeError);
});

test('isoAtMs formats any ms like toISOString, also when asked twice or out of order', () => {
  const times = [0, 1, 1, 1_795_507_577_216, 1_795_507_577_216, 1_795_507_577_217, 86_399_999, 1];
  for (const ms of times) assert.equal(isoAtMs(ms), new Date(ms).toISOString());
  assert.equal(Date.parse(nowIso()) <= Date.now(), true);
});
