/**
 * The web dashboard (issue 4): `GET /` (the page), `GET /assets/{file}` (its script, styles, icon)
 * and the SSE aliases `GET /stream/devices` (device events; `metrics=1` adds heartbeats) and
 * `GET /stream/logs` (every event), which take the same filters as `/api/v1/events`. The page and
 * its assets hold nothing about the cluster and load without a token; the streams need it
 * (`?token=` works, since EventSource cannot send headers).
 */
import { join } from 'node:path';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { PACKAGE_ROOT } from '../../main/paths.ts';
import type { ClusterService } from '../../main/service.ts';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { fail } from '../envelope.ts';
import { WebAssets } from '../webAssets.ts';
import { eventFilter, streamEvents } from './events.ts';

export const WEB_ROOT = join(PACKAGE_ROOT, 'dist', 'web');

export interface DashboardOptions {
  service: ClusterService;
  /** The API-token check the streams go through (the app's `/api` one). */
  auth: MiddlewareHandler;
  /** The built page; default dist/web of this package. */
  webRoot?: string;
}

/** Scripts and styles from this server only; styles may be inline because xterm.js sets them. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export function dashboardRoutes(options: DashboardOptions): Hono {
  const assets = new WebAssets(options.webRoot ?? WEB_ROOT);
  const serve = (c: Context, path: string) => {
    const file = assets.read(path);
    if (!file) {
      if (path === 'index.html') {
        return fail(
          c,
          ErrorCode.NotFound,
          'the dashboard is not built on this main node: run `npm run build`',
        );
      }
      return fail(c, ErrorCode.NotFound, `no asset ${path}`);
    }
    const headers: Record<string, string> = {
      ...PAGE_HEADERS,
      'content-type': file.type,
      etag: file.etag,
      // Fixed names, so every load revalidates (a 304 costs little) and an upgrade shows at once.
      'cache-control': 'no-cache',
    };
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, headers);
    return c.body(file.body, 200, headers);
  };
  const { service } = options;
  return new Hono()
    .get('/', (c) => serve(c, 'index.html'))
    .get('/assets/:file', (c) => serve(c, `assets/${c.req.param('file')}`))
    .use('/stream/*', options.auth)
    .get('/stream/devices', (c) => {
      const rest = eventFilter(c.req.query());
      return streamEvents(c, service, (item) => item.type.startsWith('device.') && rest(item));
    })
    .get('/stream/logs', (c) => streamEvents(c, service, eventFilter(c.req.query())));
}
