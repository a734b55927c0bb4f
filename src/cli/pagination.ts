/** Page flags shared by the list commands, and the footer that tells people there is more. */
import { parseNumberFlag } from './parseFlags.ts';

export interface Pagination {
  page?: number;
  page_size?: number;
  total?: number;
  total_pages?: number;
}

export interface PageFlags {
  page?: string;
  limit?: string;
}

export function pageQuery(flags: PageFlags, query: URLSearchParams): void {
  if (flags.page !== undefined)
    query.set('page', String(parseNumberFlag('--page', flags.page, { min: 1, integer: true })));
  if (flags.limit !== undefined)
    query.set('page_size', String(parseNumberFlag('--limit', flags.limit, { min: 1, integer: true })));
}

/** `page 1 of 3 (57 in all); next: --page 2`, or nothing when everything was shown. */
export function pageFooter(p: Pagination | undefined, shown: number): string | null {
  if (!p || p.total === undefined || p.page === undefined) return null;
  const pages = p.total_pages ?? Math.ceil(p.total / Math.max(1, p.page_size ?? shown));
  if (pages <= 1) return null;
  const next = p.page < pages ? `; next: --page ${p.page + 1}` : '';
  return `page ${p.page} of ${pages} (${p.total} in all)${next}`;
}

export function queryString(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}
