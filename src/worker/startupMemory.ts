/**
 * One memory-reducing garbage collection once the worker has joined. Start-up (loading TLS and the
 * child-process modules, profiling the device, the handshake) grows V8's young generation and leaves
 * garbage that an idle worker, allocating a few KB a minute, would keep for hours; V8's own memory
 * reducer does not step in at that rate. Collecting it once gives ~2 MB back to the system.
 *
 * V8 offers a collection to JavaScript only through `--expose-gc`, which must be set before the
 * context that gets `gc` is created: set it, make a throwaway context, and unset it again, so modules
 * loaded later still match the code cache built into Node (V8 checks the flags against it).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: string; execution?: string; flavor?: string }) => void;

/** Whether a collection ran (false: this V8 would not expose one; the worker is fine without it). */
export function collectStartupGarbage(): boolean {
  // Started with --expose-gc: the main context has it already, and the flag is not ours to unset.
  let gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') gc = exposedGc();
  if (typeof gc !== 'function') return false;
  // 'last-resort' is V8's most thorough collection: it also shrinks the young generation and
  // returns emptied pages. Older V8s ignore the option and run an ordinary full collection.
  (gc as GcFunction)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return true;
}

function exposedGc(): unknown {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('typeof gc === "function" ? gc : undefined');
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
