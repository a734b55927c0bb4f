/**
 * The live view's controller: one EventSource for every cluster event and metrics notice, a REST
 * snapshot on each (re)connect, and a redraw (coalesced to one per frame) whenever something changed.
 * EventSource reconnects by itself after a network error (resuming with Last-Event-ID); when the
 * server refused the stream outright it is reopened here, with backoff.
 */
import { ApiError, type Api } from '../api.ts';
import { byId } from '../dom.ts';
import { listenAll } from '../eventTypes.ts';
import { fetchDevices, fetchHeartbeats, fetchMetrics, fetchRecentEvents, fetchStatus } from './snapshot.ts';
import { LiveState } from './state.ts';
import { renderDevices, renderEvents, renderSummary } from './view.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'down';

/** Local redraws for ages and the throughput window (no network). */
const TICK_MS = 5000;
/** A burst of events costs one snapshot, and a busy cluster one every 2 s (the API is rate limited). */
const REFRESH_DELAY_MS = 250;
const REFRESH_INTERVAL_MS = 2000;

export class LiveView {
  readonly state = new LiveState();
  onConnection: (state: ConnectionState) => void = () => {};
  readonly #api: Api;
  #source: EventSource | null = null;
  #frame = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #seeded = false;
  #refreshedAt = 0;
  readonly #seededDevices = new Set<string>();

  constructor(api: Api) {
    this.#api = api;
    // For the page's lifetime: ages and the throughput window move on even when nothing happens.
    setInterval(() => this.#draw(), TICK_MS);
  }

  start(): void {
    this.stop();
    this.onConnection('connecting');
    const source = new EventSource(this.#api.streamUrl('/api/v1/events', { metrics: '1' }));
    this.#source = source;
    listenAll(source, (event) => {
      this.state.applyEvent(event);
      if (event.type !== 'device.metrics') this.#scheduleRefresh();
      this.#draw();
    });
    source.onopen = () => {
      this.#failures = 0;
      this.onConnection('live');
      void this.refresh();
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        this.onConnection('down');
        this.#reconnectLater();
      } else {
        this.onConnection('reconnecting');
      }
    };
    this.#draw();
  }

  stop(): void {
    this.#source?.close();
    this.#source = null;
    for (const timer of [this.#refreshTimer, this.#reconnectTimer]) if (timer) clearTimeout(timer);
    this.#refreshTimer = this.#reconnectTimer = null;
  }

  /** Reads the snapshot; the first one also fills the event log, throughput and sparklines. */
  async refresh(): Promise<void> {
    this.#refreshedAt = Date.now();
    try {
      const [devices, status] = await Promise.all([fetchDevices(this.#api), fetchStatus(this.#api)]);
      const now = Date.now();
      this.state.setDevices(devices, now);
      this.state.setTaskCounts(status.tasks_by_status, status.queue_depth);
      if (!this.#seeded) {
        this.#seeded = true;
        await this.#seed(now);
      }
      await this.#seedHeartbeats(devices.map((d) => d.device_id));
      this.#draw();
    } catch (error) {
      // A refused token brings up the login dialog (Api.onUnauthorized); anything else, try again.
      if (!(error instanceof ApiError && error.status === 401)) this.#scheduleRefresh();
    }
  }

  async #seed(now: number): Promise<void> {
    const [events, metrics] = await Promise.all([fetchRecentEvents(this.#api, 30), fetchMetrics(this.#api)]);
    this.state.seedEvents(events);
    // The server counts the last minute; spread those over it until live events take over.
    const finished = metrics.throughput.finished;
    for (let i = 0; i < finished; i++) this.state.finishedAt.push(now - ((i + 0.5) * 60_000) / finished);
    this.state.finishedAt.sort((a, b) => a - b);
  }

  async #seedHeartbeats(ids: readonly string[]): Promise<void> {
    const fresh = ids.filter((id) => !this.#seededDevices.has(id));
    await Promise.all(
      fresh.map(async (id) => {
        this.#seededDevices.add(id);
        const beats = await fetchHeartbeats(this.#api, id).catch(() => []);
        for (const beat of [...beats].reverse()) this.state.addPoint(id, beat.metrics, Date.parse(beat.at));
      }),
    );
  }

  #scheduleRefresh(): void {
    const wait = Math.max(REFRESH_DELAY_MS, this.#refreshedAt + REFRESH_INTERVAL_MS - Date.now());
    this.#refreshTimer ??= setTimeout(() => {
      this.#refreshTimer = null;
      void this.refresh();
    }, wait);
  }

  #reconnectLater(): void {
    if (this.#reconnectTimer) return;
    const delay = Math.min(30_000, 1000 * 2 ** this.#failures++);
    this.#reconnectTimer = setTimeout(async () => {
      this.#reconnectTimer = null;
      try {
        // Tells a refused token (the login dialog takes over) from a server that is away.
        await fetchStatus(this.#api);
        this.start();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
        this.#reconnectLater();
      }
    }, delay);
  }

  #draw(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      const now = Date.now();
      this.state.prune(now);
      renderSummary(this.state, byId('live-summary'), now);
      renderDevices(this.state, byId('live-devices'), now);
      renderEvents(this.state, byId('live-events'));
    });
  }
}
