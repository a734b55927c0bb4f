/**
 * `http_request` runs on someone's device, inside their network: it must not become a way to reach
 * the link-local range, where cloud metadata services and router setup pages live. Checked on the
 * resolved addresses, and again on every redirect.
 */
import { isIP } from 'node:net';

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog']);
/** Metadata services outside 169.254/16: Alibaba Cloud's, and AWS's IPv6 one. */
const METADATA_ADDRESSES = new Set(['100.100.100.200', 'fd00:ec2::254']);

export function isLinkLocal(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('169.254.') || METADATA_ADDRESSES.has(v4);
  const lower = address.toLowerCase();
  return /^fe[89ab][0-9a-f]:/.test(lower) || METADATA_ADDRESSES.has(lower);
}

/** The reason the URL is refused, or null when it may be fetched. */
export async function refusedDestination(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata service`;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookupAll(host)).map((a) => a.address);
  } catch {
    return null; // Unresolvable: fetch reports the DNS error itself.
  }
  const bad = addresses.find(isLinkLocal);
  return bad ? `${host} resolves to the link-local address ${bad}` : null;
}

/** `node:dns/promises` is loaded on the first name to check: an idle worker never needs it. */
async function lookupAll(host: string): Promise<{ address: string }[]> {
  const { lookup } = await import('node:dns/promises');
  return lookup(host, { all: true });
}
