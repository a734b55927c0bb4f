import { TASK_TYPE_ALIASES } from '../../protocol/messages.ts';

/** The canonical name of a task type (`command` -> `shell_command`); other names pass through. */
export function resolveTaskType(type: string): string {
  // hasOwn, so names like `constructor` never resolve through Object.prototype.
  return Object.hasOwn(TASK_TYPE_ALIASES, type) ? (TASK_TYPE_ALIASES[type] as string) : type;
}
