/**
 * Joining a device in one line: `GET /worker.cjs` (the single-file worker), `GET /join.sh` (downloads
 * it and starts it against this main node) and `GET /join` (the same, explained for people). None of
 * them needs or reveals a token: the person joining passes the join token themselves.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Hono } from 'hono';
import { fail } from '../envelope.ts';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { joinPage, joinScript } from '../joinScript.ts';

export interface JoinOptions {
  /** Path of dist/worker.cjs. */
  workerBundle: string;
  /** The workers' TCP port as devices reach it. */
  tcpPort: () => number;
}

export function joinRoutes(options: JoinOptions): Hono {
  let cached: { mtimeMs: number; body: Buffer } | null = null;
  const bundle = (): Buffer | null => {
    if (!existsSync(options.workerBundle)) return null;
    const { mtimeMs } = statSync(options.workerBundle);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, body: readFileSync(options.workerBundle) };
    return cached.body;
  };
  const target = (url: string) => {
    const { protocol, hostname, host } = new URL(url);
    return { httpUrl: `${protocol}//${host}`, mainHost: hostname, mainPort: options.tcpPort() };
  };
  return new Hono()
    .get('/worker.cjs', (c) => {
      const body = bundle();
      if (!body) {
        return fail(
          c,
          ErrorCode.NotFound,
          'the worker bundle is not built on this main node: run `npm run build`',
        );
      }
      return c.body(new Uint8Array(body), 200, {
        'content-type': 'application/javascript; charset=utf-8',
        'content-disposition': 'attachment; filename="worker.cjs"',
        'cache-control': 'no-cache',
      });
    })
    .get('/join.sh', (c) =>
      c.text(joinScript(target(c.req.url)), 200, { 'content-type': 'text/x-shellscript; charset=utf-8' }),
    )
    .get('/join', (c) => c.html(joinPage(target(c.req.url))));
}
