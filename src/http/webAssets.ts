/**
 * The dashboard's built files (dist/web, from `npm run build`), read from disk and kept in memory
 * until they change. Only plain file names are served, so no request can reach outside the folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

export class WebAssets {
  readonly root: string;
  readonly #cache = new Map<string, { mtimeMs: number; file: WebFile }>();

  constructor(root: string) {
    this.root = root;
  }

  /** `index.html` or `assets/<name>`; null when missing or not a name we serve. */
  read(path: string): WebFile | null {
    if (!/^(index\.html|assets\/[\w-]+(\.[\w-]+)+)$/.test(path)) return null;
    const type = TYPES[extname(path)];
    const full = join(this.root, path);
    if (!type || !existsSync(full)) return null;
    const { mtimeMs, size } = statSync(full);
    const cached = this.#cache.get(path);
    if (cached?.mtimeMs === mtimeMs) return cached.file;
    const file = {
      body: new Uint8Array(readFileSync(full)),
      type,
      etag: `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`,
    };
    this.#cache.set(path, { mtimeMs, file });
    return file;
  }
}
