/**
 * NDJSON framing: one UTF-8 JSON object per line, `\n`-terminated. The decoder never buffers more
 * than `maxFrameBytes` of an unterminated line; past that it reports `too_large` once and stops.
 */
import { DEFAULT_MAX_FRAME_BYTES } from './version.ts';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type FrameEvent = { kind: 'frame'; line: string } | { kind: 'too_large'; bytes: number };

export class FrameDecoder {
  readonly maxFrameBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #failed = false;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received that do not yet end in a newline (legacy one-shot clients send only these). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  pendingText(): string {
    return Buffer.concat(this.#pending).toString('utf8');
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.#failed) return [];
    const events: FrameEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      const lineBytes = this.#pendingBytes + (nl - start);
      if (lineBytes > this.maxFrameBytes) return this.#fail(events, lineBytes);
      const line = this.#takeLine(chunk.subarray(start, nl));
      if (line.length > 0) events.push({ kind: 'frame', line });
      start = nl + 1;
    }
    const rest = chunk.length - start;
    if (rest > 0) {
      if (this.#pendingBytes + rest > this.maxFrameBytes)
        return this.#fail(events, this.#pendingBytes + rest);
      this.#pending.push(start === 0 ? chunk : chunk.subarray(start));
      this.#pendingBytes += rest;
    }
    return events;
  }

  #takeLine(tail: Buffer): string {
    let bytes = tail;
    if (this.#pending.length > 0) {
      bytes = Buffer.concat([...this.#pending, tail]);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end--;
    return bytes.toString('utf8', 0, end).trim();
  }

  #fail(events: FrameEvent[], bytes: number): FrameEvent[] {
    this.#failed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    events.push({ kind: 'too_large', bytes });
    return events;
  }
}

export function encodeFrame(message: unknown): string {
  return JSON.stringify(message) + '\n';
}
