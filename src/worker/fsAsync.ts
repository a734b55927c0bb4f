/**
 * Promise versions of the few `node:fs` calls the worker makes, over the callback API (part of every
 * Node process from its start). `node:fs/promises` does the same, but loading it also loads
 * readline, the REPL history, file watchers and directory handles: more resident memory in an idle
 * worker, for nothing the worker uses. Named imports only: the bundle turns `import * as fs` into a
 * walk over every property of `fs`, which loads its lazy ones (directory handles) too.
 */
import {
  access as accessCb,
  readdir as readdirCb,
  readFile as readFileCb,
  rm as rmCb,
  stat as statCb,
  statfs as statfsCb,
  type StatsFs,
} from 'node:fs';
import { promisify } from 'node:util';

export const access = promisify(accessCb);
export const readdir = promisify(readdirCb);
export const readFile = promisify(readFileCb);
export const rm = promisify(rmCb);
export const stat = promisify(statCb);

/** `fs.statfs` arrived in Node 18.15; null where it is missing (older phones' Node). */
export const statfs: ((path: string) => Promise<StatsFs>) | null =
  typeof statfsCb === 'function' ? (path) => promisify(statfsCb)(path) : null;
