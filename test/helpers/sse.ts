/** A minimal SSE reader over fetch, for tests: collects events and comments as they arrive. */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export class SseReader {
  events: SseEvent[] = [];
  comments: string[] = [];
  status = 0;
  readonly #controller = new AbortController();
  readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.#read(url, headers).catch((error: Error) => {
      if (error.name !== 'AbortError') throw error;
    });
  }

  async #read(url: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, { headers, signal: this.#controller.signal });
    this.status = response.status;
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        this.#parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  #parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id:')) event.id = line.slice(3).trim();
      else if (line.startsWith('event:')) event.event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return;
    event.data = JSON.parse(data.join('\n'));
    this.events.push(event);
  }

  close(): void {
    this.#controller.abort();
  }
}
