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

/**
 * Frames already encoded, to be written together: a peer that answers many messages in one event-loop
 * turn hands the socket one buffer instead of one write (one system call, one TLS record) per frame.
 */
export class EncodedFrames {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

export function encodeFrame(message: unknown): string {
  return message instanceof EncodedFrames ? message.text : JSON.stringify(message) + '\n';
}

/**
 * Collects outgoing frames and writes them in one go once the current turn's synchronous work and
 * promise chains have settled, so the acks answering a whole read go out together — and a worker's
 * ack, status and result of a task that finished at once leave in one write, which the main node then
 * stores in one transaction. A tick queued from a microtask runs only after the microtask queue is
 * empty, including the microtasks queued meanwhile.
 */
export class FrameBatcher {
  #text = '';
  #scheduled = false;
  #write: (frames: EncodedFrames) => void;
  #beforeWrite: (() => void) | undefined;

  /**
   * `beforeWrite` runs just before each write and may still push: what it sends is decided last,
   * once the turn's other frames are known.
   */
  constructor(write: (frames: EncodedFrames) => void, beforeWrite?: () => void) {
    this.#write = write;
    this.#beforeWrite = beforeWrite;
  }

  push(message: unknown): void {
    this.#text += encodeFrame(message);
    this.schedule();
  }

  /** Makes sure a write happens at the end of this turn, even if nothing is pushed meanwhile. */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => process.nextTick(() => this.flush()));
  }

  /** Writes what is pending now (before a close, say, so nothing queued is lost). */
  flush(): void {
    this.#beforeWrite?.();
    this.#scheduled = false;
    if (this.#text === '') return;
    const frames = new EncodedFrames(this.#text);
    this.#text = '';
    this.#write(frames);
  }

  /** Drops what is pending (the connection it was meant for is gone). */
  clear(): void {
    this.#text = '';
  }
}
