import { sep } from 'node:path';

/**
 * `dir` + separator + `names`, for the paths the worker builds at start and on every sample (its state
 * file, PATH entries, sysfs and proc trees). `path.join` normalises the whole string character by
 * character: called a few dozen times at start-up, it is hot enough for V8 to compile it with an
 * optimizing compiler, whose code (~2 MB of the node binary) then stays resident in an idle worker.
 * The names here hold no separators or dot segments, so concatenation names the same file.
 */
export function childPath(dir: string, ...names: string[]): string {
  let path = dir;
  for (const name of names) path = path.endsWith(sep) || path.endsWith('/') ? path + name : path + sep + name;
  return path;
}
