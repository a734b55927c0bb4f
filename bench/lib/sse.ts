/** A minimal Server-Sent Events reader: calls back with each event as it arrives. */
export interface SseEvent {
  event: string;
  data: any;
  /** performance.now() when the block carrying it was read. */
  at: number;
}

export class SseStream {
  readonly #controller = new AbortController();
  readonly connected: Promise<void>;
  readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string>, onEvent: (event: SseEvent) => void) {
    let connected!: () => void;
    this.connected = new Promise((resolve) => (connected = resolve));
    this.done = this.#read(url, headers, onEvent, connected).catch((error: Error) => {
      if (error.name !== 'AbortError') throw error;
    });
  }

  async #read(
    url: string,
    headers: Record<string, string>,
    onEvent: (event: SseEvent) => void,
    connected: () => void,
  ): Promise<void> {
    const response = await fetch(url, { headers, signal: this.#controller.signal });
    if (!response.ok || !response.body) throw new Error(`SSE ${url}: HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(': connected')) connected();
        const event = parseBlock(block, at);
        if (event) onEvent(event);
      }
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

function parseBlock(block: string, at: number): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return data.length === 0 ? null : { event, data: JSON.parse(data.join('\n')), at };
}
