import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The peer's address as the socket sees it; forwarding headers are not trusted (they are forgeable). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by @hono/node-server (app.request() in a test): one shared bucket.
    return 'unknown';
  }
}
