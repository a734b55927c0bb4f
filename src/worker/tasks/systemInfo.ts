import { succeeded } from './outcome.ts';
import type { TaskHandler } from './taskHandler.ts';

/** Reports the device profile and current metrics, as the worker's profiler sees them. */
export const systemInfoHandler: TaskHandler = {
  type: 'system_info',
  run: async (context) => succeeded(await context.systemInfo()),
};
