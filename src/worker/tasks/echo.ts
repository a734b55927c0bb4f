import { succeeded } from './outcome.ts';
import type { TaskHandler } from './taskHandler.ts';

/** Returns its payload unchanged: the smallest end-to-end check of a worker. */
export const echoHandler: TaskHandler = {
  type: 'echo',
  run: async (context) => succeeded({ echo: context.payload }),
};
