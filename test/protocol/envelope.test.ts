import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAck, createError, createMessage, type Envelope } from '../../src/protocol/envelope.ts';
import { ClusterError, ErrorCode } from '../../src/protocol/errorCodes.ts';
import { FrameDecoder, encodeFrame } from '../../src/protocol/framer.ts';
import { parseMessage } from '../../src/protocol/parse.ts';

const original: Envelope = {
  message_type: 'heartbeat',
  sender_id: 'pixel-3a',
  receiver_id: 'main',
  message_id: 'orig-1',
  timestamp: '2026-11-24T10:00:00.000Z',
  data: {},
};

function assertFreshEnvelope(message: Envelope<string, unknown>): void {
  assert.equal(typeof message.message_id, 'string');
  assert.ok(message.message_id.length > 0);
  assert.equal(new Date(message.timestamp).toISOString(), message.timestamp);
}

test('createMessage fills id and timestamp; receiver defaults to null', () => {
  const a = createMessage('task_request', 'pixel-3a', {});
  const b = createMessage('task_request', 'pixel-3a', {}, 'main');
  assertFreshEnvelope(a);
  assert.notEqual(a.message_id, b.message_id);
  assert.equal(a.message_type, 'task_request');
  assert.equal(a.sender_id, 'pixel-3a');
  assert.equal(a.receiver_id, null);
  assert.equal(b.receiver_id, 'main');
});

test('createAck answers the original sender and refers to its message id', () => {
  const ack = createAck('main', original);
  assertFreshEnvelope(ack);
  assert.equal(ack.message_type, 'ack');
  assert.equal(ack.sender_id, 'main');
  assert.equal(ack.receiver_id, 'pixel-3a');
  assert.notEqual(ack.message_id, original.message_id);
  assert.deepEqual(ack.data, { original_message_id: 'orig-1' });
  assert.equal('result' in ack.data, false);
});

test('createAck carries a result, including falsy ones', () => {
  assert.deepEqual(createAck('main', original, { success: true }).data, {
    original_message_id: 'orig-1',
    result: { success: true },
  });
  assert.deepEqual(createAck('main', original, 0).data, { original_message_id: 'orig-1', result: 0 });
  assert.deepEqual(createAck('main', original, null).data, { original_message_id: 'orig-1', result: null });
});

test('createError refers to the original message and sender', () => {
  const error = createError('main', original, ErrorCode.Rejected, 'no free slot');
  assertFreshEnvelope(error);
  assert.equal(error.message_type, 'error');
  assert.equal(error.sender_id, 'main');
  assert.equal(error.receiver_id, 'pixel-3a');
  assert.deepEqual(error.data, { original_message_id: 'orig-1', code: 'REJECTED', error: 'no free slot' });
  assert.equal('details' in error.data, false);
});

test('createError without an original has null ids; details only when given', () => {
  const error = createError('main', null, ErrorCode.FrameTooLarge, 'frame too large', { limit: 16 });
  assert.equal(error.receiver_id, null);
  assert.deepEqual(error.data, {
    original_message_id: null,
    code: 'FRAME_TOO_LARGE',
    error: 'frame too large',
    details: { limit: 16 },
  });
});

test('a failed parse produces an error that refers to the bad message', () => {
  const parsed = parseMessage(JSON.stringify({ ...original, message_type: 'bogus' }));
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  const error = createError('main', parsed.original, parsed.code, parsed.error);
  assert.equal(error.receiver_id, 'pixel-3a');
  assert.equal(error.data.original_message_id, 'orig-1');
  assert.equal(error.data.code, 'BAD_MESSAGE');
});

test('a message survives encode -> frame decode -> parse unchanged', () => {
  const message = createMessage('task_result', 'pixel-3a', {
    task_id: 't-1',
    attempt: 2,
    status: 'success',
    result_data: { stdout: 'naïve\n日本\n' },
  });
  const events = new FrameDecoder().push(Buffer.from(encodeFrame(message)));
  assert.equal(events.length, 1);
  const event = events[0]!;
  assert.equal(event.kind, 'frame');
  if (event.kind !== 'frame') return;
  const parsed = parseMessage(event.line);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, message);
});

test('ClusterError carries code, name, details and cause', () => {
  const cause = new Error('disk full');
  const error = new ClusterError(ErrorCode.InvalidState, 'task t-1 is already success', {
    cause,
    details: { task_id: 't-1' },
  });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ClusterError');
  assert.equal(error.code, 'INVALID_STATE');
  assert.equal(error.message, 'task t-1 is already success');
  assert.deepEqual(error.details, { task_id: 't-1' });
  assert.equal(error.cause, cause);
  assert.equal('cause' in new ClusterError(ErrorCode.Internal, 'x'), false);
});
