import { randomUUID } from 'node:crypto';
import type { ErrorCode } from './errorCodes.ts';
import { nowIso } from './isoTime.ts';
import type { AckData, ErrorData, MessageDataMap } from './messages.ts';
import type { MessageType } from './messageTypes.ts';

/** The envelope kept from the original Retire-Cluster, so its field names stay familiar. */
export interface Envelope<T extends string = MessageType, D = unknown> {
  message_type: T;
  sender_id: string;
  receiver_id: string | null;
  message_id: string;
  timestamp: string;
  data: D;
}

export function createMessage<K extends MessageType>(
  type: K,
  senderId: string,
  data: MessageDataMap[K],
  receiverId: string | null = null,
): Envelope<K, MessageDataMap[K]> {
  return {
    message_type: type,
    sender_id: senderId,
    receiver_id: receiverId,
    message_id: randomUUID(),
    timestamp: nowIso(),
    data,
  };
}

export function createAck(senderId: string, original: Envelope, result?: unknown): Envelope<'ack', AckData> {
  const data: AckData = { original_message_id: original.message_id };
  if (result !== undefined) data.result = result;
  return createMessage('ack', senderId, data, original.sender_id);
}

export function createError(
  senderId: string,
  original: Pick<Envelope, 'message_id' | 'sender_id'> | null,
  code: ErrorCode,
  error: string,
  details?: unknown,
): Envelope<'error', ErrorData> {
  const data: ErrorData = { original_message_id: original?.message_id ?? null, code, error };
  if (details !== undefined) data.details = details;
  return createMessage('error', senderId, data, original?.sender_id ?? null);
}
