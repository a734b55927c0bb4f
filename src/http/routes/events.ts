/**
 * `GET /api/v1/events`: the cluster's events as Server-Sent Events. A client that reconnects with
 * `Last-Event-ID` first gets what it missed (from the store), then the live stream, with no gap and
 * no duplicate. Filters: `types` (comma-separated prefixes, e.g. `task.,device.offline`), `task_id`,
 * `device_id`; `metrics=1` adds unnumbered `device.metrics` notices from heartbeats.
 */
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ClusterEvent, Notice } from '../../core/cluster.ts';
import type { ClusterService } from '../../main/service.ts';

const REPLAY_LIMIT = 10_000;

type FeedItem = ClusterEvent | Notice;

export interface EventFilter {
  (item: FeedItem): boolean;
}

export function eventFilter(query: Record<string, string | undefined>): EventFilter {
  const prefixes = (query.types ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return (item) =>
    (prefixes.length === 0 || prefixes.some((p) => item.type.startsWith(p))) &&
    (!query.task_id || item.task_id === query.task_id) &&
    (!query.device_id || item.device_id === query.device_id);
}

export function eventRoutes(service: ClusterService): Hono {
  return new Hono().get('/', (c) => streamEvents(c, service, eventFilter(c.req.query())));
}

/** Also used by the `/stream/*` aliases with a fixed filter. */
export function streamEvents(c: Context, service: ClusterService, filter: EventFilter): Response {
  const lastEventId = Number(c.req.header('last-event-id') ?? c.req.query('last_event_id') ?? NaN);
  const withMetrics = c.req.query('metrics') === '1' || c.req.query('metrics') === 'true';
  const keepAliveMs = Math.min(
    60_000,
    Math.max(100, Number(c.req.query('keepalive') ?? 15) * 1000 || 15_000),
  );

  return streamSSE(c, async (stream) => {
    const pending: FeedItem[] = [];
    let wake: (() => void) | null = null;
    const push = (item: FeedItem) => {
      if (!filter(item)) return;
      pending.push(item);
      wake?.();
    };
    // Subscribe before reading the store, so nothing committed in between is missed.
    service.events.on('event', push);
    if (withMetrics) service.events.on('notice', push);
    stream.onAbort(() => {
      service.events.off('event', push);
      service.events.off('notice', push);
      wake?.();
    });

    let sentUpTo = 0;
    if (Number.isFinite(lastEventId) && lastEventId >= 0) {
      for (const event of await service.eventsAfter(lastEventId, REPLAY_LIMIT)) {
        if (filter(event)) await send(event);
        sentUpTo = event.id;
      }
    }
    await stream.write(': connected\n\n');
    while (!stream.aborted) {
      while (pending.length > 0) {
        const item = pending.shift()!;
        if ('id' in item && item.id <= sentUpTo) continue;
        await send(item);
      }
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), keepAliveMs);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = null;
      if (!woke && !stream.aborted) await stream.write(': keep-alive\n\n');
    }

    async function send(item: FeedItem): Promise<void> {
      const message: { event: string; data: string; id?: string } = {
        event: item.type,
        data: JSON.stringify(item),
      };
      if ('id' in item) {
        message.id = String(item.id);
        sentUpTo = Math.max(sentUpTo, item.id);
      }
      await stream.writeSSE(message);
    }
  });
}
