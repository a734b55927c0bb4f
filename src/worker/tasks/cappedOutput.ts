import { StringDecoder } from 'node:string_decoder';

/** Keeps the first `limit` bytes of a stream and remembers whether anything was dropped. */
export class CappedOutput {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #truncated = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): void {
    const room = this.#limit - this.#size;
    if (chunk.length > room) {
      this.#truncated = true;
      if (room <= 0) return;
      chunk = chunk.subarray(0, room);
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  /** UTF-8 text; a character cut in half by the cap is left out rather than mangled. */
  text(): string {
    const decoder = new StringDecoder('utf8');
    const text = decoder.write(Buffer.concat(this.#chunks));
    return this.#truncated ? text : text + decoder.end();
  }
}
