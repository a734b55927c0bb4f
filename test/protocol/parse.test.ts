import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../src/protocol/errorCodes.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';
import { parseMessage, validateEnvelope, type ParseResult } from '../../src/protocol/parse.ts';

const valid = {
  message_type: 'heartbeat',
  sender_id: 'pixel-3a',
  receiver_id: null,
  message_id: 'm-1',
  timestamp: '2026-11-24T10:00:00.000Z',
  data: { metrics: {} },
};

function line(overrides: Record<string, unknown>, omit: string[] = []): string {
  const value: Record<string, unknown> = { ...valid, ...overrides };
  for (const key of omit) delete value[key];
  return JSON.stringify(value);
}

function expectBad(result: ParseResult, pattern: RegExp): Extract<ParseResult, { ok: false }> {
  assert.equal(result.ok, false);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.code, ErrorCode.BadMessage);
  assert.equal(result.code, 'BAD_MESSAGE');
  assert.match(result.error, pattern);
  return result;
}

test('a valid envelope parses unchanged', () => {
  const result = parseMessage(JSON.stringify(valid));
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.deepEqual(result.message, valid);
});

test('every message type is accepted, including each one DESIGN lists', () => {
  const listed = [
    'register',
    'heartbeat',
    'status',
    'list_devices',
    'device_info',
    'task_assign',
    'task_status',
  ];
  listed.push('task_result', 'task_cancel', 'task_request', 'task_submit', 'ack', 'error');
  const types = new Set<string>(Object.values(MessageType));
  for (const type of listed) assert.ok(types.has(type), type);
  for (const type of types) assert.equal(parseMessage(line({ message_type: type })).ok, true, type);
});

test('invalid JSON is BAD_MESSAGE naming it, with no original', () => {
  for (const text of ['{', '', 'not json', '{"message_type":"heartbeat",}']) {
    const bad = expectBad(parseMessage(text), /^invalid JSON: /);
    assert.equal(bad.original, null);
  }
});

test('a JSON value that is not an object is BAD_MESSAGE', () => {
  for (const text of ['42', '"heartbeat"', 'null', 'true', '[]', JSON.stringify([valid])]) {
    const bad = expectBad(parseMessage(text), /must be a JSON object/);
    assert.equal(bad.original, null, text);
  }
  expectBad(validateEnvelope(undefined), /must be a JSON object/);
});

test('an unknown or missing message_type is BAD_MESSAGE naming the value', () => {
  const bad = expectBad(parseMessage(line({ message_type: 'explode' })), /message_type.*"explode"/);
  assert.deepEqual(bad.original, { message_id: 'm-1', sender_id: 'pixel-3a' });
  expectBad(parseMessage(line({}, ['message_type'])), /message_type: null/);
  expectBad(parseMessage(line({ message_type: 7 })), /message_type: 7/);
  // Prototype keys are not message types.
  expectBad(parseMessage(line({ message_type: 'toString' })), /message_type/);
});

test('sender_id must be a non-empty string of at most 256 characters', () => {
  for (const sender of [undefined, '', 'x'.repeat(257), 42, null, { id: 'a' }]) {
    const bad = expectBad(
      parseMessage(sender === undefined ? line({}, ['sender_id']) : line({ sender_id: sender })),
      /sender_id/,
    );
    // message_id was usable, so the error can still refer to the message.
    assert.equal(bad.original?.message_id, 'm-1');
  }
  assert.equal(parseMessage(line({ sender_id: 'x'.repeat(256) })).ok, true);
});

test('message_id must be a non-empty string of at most 256 characters; then there is no original', () => {
  for (const id of [undefined, '', 'x'.repeat(257), 5, null]) {
    const bad = expectBad(
      parseMessage(id === undefined ? line({}, ['message_id']) : line({ message_id: id })),
      /message_id/,
    );
    assert.equal(bad.original, null, `message_id ${JSON.stringify(id)}`);
  }
  assert.equal(parseMessage(line({ message_id: 'x'.repeat(256) })).ok, true);
});

test('original carries the sender only when it is a usable id', () => {
  const withSender = expectBad(parseMessage(line({ message_type: 'nope' })), /message_type/);
  assert.deepEqual(withSender.original, { message_id: 'm-1', sender_id: 'pixel-3a' });
  const objectSender = expectBad(parseMessage(line({ sender_id: { a: 1 } })), /sender_id/);
  assert.deepEqual(objectSender.original, { message_id: 'm-1', sender_id: '' });
});

test('receiver_id must be a string or null, and defaults to null', () => {
  for (const receiver of [5, false, {}, ['main']]) {
    const bad = expectBad(
      parseMessage(line({ receiver_id: receiver })),
      /receiver_id must be a string or null/,
    );
    assert.equal(bad.original?.message_id, 'm-1');
  }
  const missing = parseMessage(line({}, ['receiver_id']));
  assert.ok(missing.ok);
  assert.equal(missing.message.receiver_id, null);
  const named = parseMessage(line({ receiver_id: 'main' }));
  assert.ok(named.ok);
  assert.equal(named.message.receiver_id, 'main');
});

test('timestamp must be a string when present, and defaults to empty', () => {
  expectBad(parseMessage(line({ timestamp: 1_700_000_000 })), /timestamp/);
  const missing = parseMessage(line({}, ['timestamp']));
  assert.ok(missing.ok);
  assert.equal(missing.message.timestamp, '');
});

test('missing data defaults to {}; data that is not an object is BAD_MESSAGE', () => {
  const missing = parseMessage(line({}, ['data']));
  assert.ok(missing.ok);
  assert.deepEqual(missing.message.data, {});
  for (const data of [null, [], 'text', 3, true]) {
    const bad = expectBad(parseMessage(line({ data })), /data must be a JSON object/);
    assert.deepEqual(bad.original, { message_id: 'm-1', sender_id: 'pixel-3a' });
  }
});

test('validateEnvelope checks an already parsed value the same way', () => {
  assert.equal(validateEnvelope({ ...valid }).ok, true);
  expectBad(validateEnvelope({ ...valid, sender_id: '' }), /sender_id/);
});
