/** Draws the live view from the LiveState: summary counters, device cards, recent events. */
import type { DeviceView } from '../../main/views.ts';
import { eventColour, eventParts } from '../../terminal/render/events.ts';
import { ago } from '../../terminal/render/time.ts';
import { h } from '../dom.ts';
import { bars, sparkline } from './sparkline.ts';
import { type LiveState, type MetricPoint, WINDOW_MS } from './state.ts';

const SHOWN_TASK_STATUSES = ['queued', 'running', 'success', 'failed'] as const;

export interface LiveElements {
  summary: HTMLElement;
  devices: HTMLElement;
  events: HTMLElement;
}

export function renderSummary(state: LiveState, el: HTMLElement, now: number): void {
  const devices = [...state.devices.values()];
  const online = devices.filter((d) => d.status === 'online' || d.status === 'draining').length;
  const count = (status: string) => state.tasksByStatus[status] ?? 0;
  const running = count('running') + count('assigned');
  const { perMinute, series } = state.throughput(now);
  const tile = (label: string, value: string | number, cls = '', extra?: Node) =>
    h('div', { class: `tile ${cls}` }, h('dt', {}, label), h('dd', {}, String(value), extra ?? null));
  el.replaceChildren(
    h(
      'dl',
      { class: 'tiles' },
      tile('devices online', `${online}/${devices.length}`, online === devices.length ? 'ok' : 'warn'),
      ...SHOWN_TASK_STATUSES.map((s) =>
        tile(
          s,
          s === 'running' ? running : s === 'queued' ? count('queued') + count('pending') : count(s),
          `st-${s}`,
        ),
      ),
      tile('finished / min', perMinute, 'throughput', bars(series)),
    ),
  );
}

export function renderDevices(state: LiveState, el: HTMLElement, now: number): void {
  const devices = [...state.devices.values()].sort((a, b) => a.device_id.localeCompare(b.device_id));
  if (devices.length === 0) {
    el.replaceChildren(h('li', { class: 'empty' }, 'No devices yet. Join one: see /join on this server.'));
    return;
  }
  el.replaceChildren(...devices.map((d) => deviceCard(d, state.history.get(d.device_id) ?? [], now)));
}

function deviceCard(d: DeviceView, points: readonly MetricPoint[], now: number): HTMLElement {
  const m = d.metrics;
  const status = d.draining && d.status !== 'draining' ? `${d.status}, draining` : d.status;
  const metric = (label: string, value: number | null | undefined, key: keyof Omit<MetricPoint, 'at'>) => {
    if (value == null) return null;
    const series = points.filter((p) => p[key] != null).map((p): [number, number] => [p.at, p[key]!]);
    return h(
      'div',
      { class: `metric m-${key}` },
      h('dt', {}, label),
      h('dd', {}, `${Math.round(value)}%`, sparkline(series, now, WINDOW_MS)),
    );
  };
  const running = d.running_tasks;
  const lost = d.status === 'offline' || d.status === 'disconnected';
  return h(
    'li',
    { class: 'device', 'data-device-id': d.device_id, 'data-status': d.status },
    h(
      'div',
      { class: 'device-head' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('strong', { class: 'device-id' }, d.device_id),
      h('span', { class: 'status' }, status),
    ),
    h(
      'p',
      { class: 'device-meta' },
      `${d.role} · ${d.platform}/${d.arch} · ${d.cpu_count} cores · ${d.memory_total_gb} GB`,
      d.speed_score != null ? ` · speed ${Math.round(d.speed_score)}` : '',
    ),
    d.paused_reason ? h('p', { class: 'device-paused' }, `paused: ${d.paused_reason}`) : null,
    m
      ? h(
          'dl',
          { class: 'metrics' },
          metric('CPU', m.cpu_percent, 'cpu'),
          metric('Memory', m.memory_percent, 'memory'),
          metric('Battery', m.battery_percent, 'battery'),
        )
      : null,
    h(
      'p',
      { class: 'device-tasks' },
      `running ${running.length}/${d.max_concurrent_tasks}`,
      running.length
        ? `: ${running.slice(0, 3).map(short).join(', ')}${running.length > 3 ? ', …' : ''}`
        : '',
      lost ? ` · last seen ${ago(d.last_seen, now)}` : '',
    ),
  );
}

export function renderEvents(state: LiveState, el: HTMLElement): void {
  const items = [...state.events].reverse().map((e) => {
    const parts = eventParts(e, { shortIds: true });
    const colour = eventColour(e.type);
    return h(
      'li',
      { class: 'ev' },
      h('span', { class: 'ev-time' }, parts.time),
      ' ',
      h('span', { class: colour ? `ev-type c-${colour}` : 'ev-type' }, parts.type),
      parts.subject ? ` ${parts.subject}` : '',
      parts.detail ? h('span', { class: 'ev-detail' }, ` ${parts.detail}`) : null,
    );
  });
  el.replaceChildren(...(items.length ? items : [h('li', { class: 'empty' }, 'No events yet.')]));
}

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
