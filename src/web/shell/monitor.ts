/**
 * `monitor devices|tasks|logs` in the page: the matching event stream, printed line by line (through
 * any `| grep` stages) until Ctrl+C. Scripts get a snapshot from the server instead.
 */
import { painter } from '../../terminal/ansi.ts';
import type { GrepStage } from '../../terminal/parse.ts';
import { eventLine } from '../../terminal/render/events.ts';
import { matches } from '../../terminal/grep.ts';
import type { Api } from '../api.ts';
import { listenAll } from '../eventTypes.ts';

const paint = painter(true);

const STREAMS: Record<string, { path: string; params: Record<string, string> }> = {
  devices: { path: '/stream/devices', params: { metrics: '1' } },
  tasks: { path: '/api/v1/events', params: { types: 'task.' } },
  logs: { path: '/stream/logs', params: {} },
};

export class Monitor {
  #source: EventSource | null = null;

  get running(): boolean {
    return this.#source !== null;
  }

  /** `write` prints a line; `ended` is called if the server refuses or drops the stream for good. */
  start(
    api: Api,
    topic: string,
    filters: readonly GrepStage[],
    write: (line: string) => void,
    ended: (why: string) => void,
  ): void {
    const stream = STREAMS[topic]!;
    const source = new EventSource(api.streamUrl(stream.path, stream.params));
    this.#source = source;
    let warned = false;
    write(paint.dim(`monitoring ${topic} live; Ctrl+C stops`));
    listenAll(source, (event) => {
      warned = false;
      const line = eventLine(event, paint);
      if (filters.every((f) => matches(line, f))) write(line);
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        this.stop();
        ended('the stream was refused (is the token still valid?)');
      } else if (!warned) {
        warned = true;
        write(paint.yellow('connection lost; reconnecting…'));
      }
    };
  }

  stop(): void {
    this.#source?.close();
    this.#source = null;
  }
}
