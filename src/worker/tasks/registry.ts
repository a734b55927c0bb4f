import { echoHandler } from './echo.ts';
import { httpRequestHandler } from './httpRequest.ts';
import { pythonEvalHandler } from './pythonEval.ts';
import { shellCommandHandler } from './shellCommand.ts';
import { sleepHandler } from './sleep.ts';
import { systemInfoHandler } from './systemInfo.ts';
import type { TaskHandler } from './taskHandler.ts';
import { resolveTaskType } from './taskType.ts';

export { resolveTaskType } from './taskType.ts';

/** The built-in handlers by canonical type, in the order of BUILTIN_TASK_TYPES. */
export const BUILTIN_HANDLERS: ReadonlyMap<string, TaskHandler> = new Map(
  [
    echoHandler,
    sleepHandler,
    systemInfoHandler,
    pythonEvalHandler,
    shellCommandHandler,
    httpRequestHandler,
  ].map((handler) => [handler.type, handler]),
);

export interface TaskTypeSelection {
  /** Only these types (aliases allowed). Missing or empty: every known type. */
  allow?: readonly string[];
  /** Never these types (aliases allowed); applied after `allow`. */
  deny?: readonly string[];
}

/** Canonical names of a list, or an Error naming every entry that is not a known type. */
function canonicalNames(names: readonly string[], known: readonly string[], flag: string): Set<string> {
  const canonical = names.map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = canonical.filter((name) => !known.includes(resolveTaskType(name)));
  if (unknown.length > 0) {
    throw new Error(`unknown task type(s) in ${flag}: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
  return new Set(canonical.map(resolveTaskType));
}

/**
 * The task types this worker accepts: `allow` narrows the known types, `deny` removes from them.
 * Throws an Error naming any unknown type, so a typo never silently widens or narrows a device.
 */
export function selectTaskTypes(
  selection: TaskTypeSelection = {},
  known: readonly string[] = [...BUILTIN_HANDLERS.keys()],
): string[] {
  const allow = canonicalNames(selection.allow ?? [], known, '--allow');
  const deny = canonicalNames(selection.deny ?? [], known, '--deny');
  return known.filter((type) => (allow.size === 0 || allow.has(type)) && !deny.has(type));
}
