/**
 * Envelope validation without dependencies (the worker bundle imports this). The main node validates
 * each message's `data` further with zod; here only the envelope's shape is checked.
 */
import type { Envelope } from './envelope.ts';
import { ErrorCode } from './errorCodes.ts';
import type { Message } from './messages.ts';
import { isMessageType } from './messageTypes.ts';
import { MAX_JSON_DEPTH } from './version.ts';

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
  if (jsonDepthExceeds(v, MAX_JSON_DEPTH)) {
    return bad(`the message nests deeper than ${MAX_JSON_DEPTH} levels`, original);
  }
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

// Scratch stacks for jsonDepthExceeds, reused: it runs on every message, and allocating a frame
// object per nested value showed up in the main node's profile. Safe because nothing in it yields.
const pendingValues: object[] = [];
const pendingDepths: number[] = [];

/** Whether objects and arrays nest deeper than `max` (the top is 1); iterative, so it cannot overflow. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  pendingValues.push(value);
  pendingDepths.push(1);
  let exceeded = false;
  while (pendingValues.length > 0) {
    const node = pendingValues.pop()! as Record<string, unknown>;
    const depth = pendingDepths.pop()!;
    if (depth > max) {
      exceeded = true;
      break;
    }
    if (Array.isArray(node)) {
      for (const child of node) {
        if (typeof child === 'object' && child !== null) {
          pendingValues.push(child);
          pendingDepths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in node) {
      const child = node[key];
      if (typeof child === 'object' && child !== null) {
        pendingValues.push(child);
        pendingDepths.push(depth + 1);
      }
    }
  }
  pendingValues.length = 0;
  pendingDepths.length = 0;
  return exceeded;
}

/** sender_id and message_id: a non-empty string of at most 256 characters. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function bad(error: string, original: Pick<Envelope, 'message_id' | 'sender_id'> | null): ParseResult {
  return { ok: false, code: ErrorCode.BadMessage, error, original };
}
