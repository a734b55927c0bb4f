/**
 * Envelope validation without dependencies (the worker bundle imports this). The main node validates
 * each message's `data` further with zod; here only the envelope's shape is checked.
 */
import type { Envelope } from './envelope.ts';
import { ErrorCode } from './errorCodes.ts';
import type { Message } from './messages.ts';
import { isMessageType } from './messageTypes.ts';

export type ParseResult =
  | { ok: true; message: Message }
  | {
      ok: false;
      code: typeof ErrorCode.BadMessage;
      error: string;
      /** Set when the line was a JSON object with a usable message_id, so the error can refer to it. */
      original: Pick<Envelope, 'message_id' | 'sender_id'> | null;
    };

export function parseMessage(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return bad(`invalid JSON: ${(error as Error).message}`, null);
  }
  return validateEnvelope(value);
}

export function validateEnvelope(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('a message must be a JSON object', null);
  }
  const v = value as Record<string, unknown>;
  // Only a usable message_id lets the error refer to the message; only a usable sender_id is echoed back.
  const original = isId(v.message_id)
    ? { message_id: v.message_id, sender_id: isId(v.sender_id) ? v.sender_id : '' }
    : null;
  if (!isMessageType(v.message_type)) {
    return bad(`unknown or missing message_type: ${JSON.stringify(v.message_type ?? null)}`, original);
  }
  if (!isId(v.sender_id)) {
    return bad('sender_id must be a non-empty string of at most 256 characters', original);
  }
  if (!isId(v.message_id)) {
    return bad('message_id must be a non-empty string of at most 256 characters', original);
  }
  if (v.receiver_id !== undefined && v.receiver_id !== null && typeof v.receiver_id !== 'string') {
    return bad('receiver_id must be a string or null', original);
  }
  if (v.timestamp !== undefined && typeof v.timestamp !== 'string') {
    return bad('timestamp must be an ISO-8601 string', original);
  }
  if (v.data === undefined) v.data = {};
  if (typeof v.data !== 'object' || v.data === null || Array.isArray(v.data)) {
    return bad('data must be a JSON object', original);
  }
  if (v.receiver_id === undefined) v.receiver_id = null;
  if (v.timestamp === undefined) v.timestamp = '';
  return { ok: true, message: v as unknown as Message };
}

/** sender_id and message_id: a non-empty string of at most 256 characters. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function bad(error: string, original: Pick<Envelope, 'message_id' | 'sender_id'> | null): ParseResult {
  return { ok: false, code: ErrorCode.BadMessage, error, original };
}
