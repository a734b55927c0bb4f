/**
 * The commands the page runs itself (`clear`, `theme`, a live `monitor`), as the server answers them
 * for scripts: something sensible rather than an error. `monitor` gives a snapshot.
 */
import { query, type Handler } from './context.ts';
import { helpFor } from './help.ts';
import { allDevices } from './lists.ts';
import { deviceTable } from '../render/devices.ts';
import { taskTable } from '../render/tasks.ts';
import type { TaskPageView } from '../../main/taskQueries.ts';

const LIVE_HINT =
  'a snapshot: in the dashboard terminal monitor is live; scripts can follow GET /api/v1/events';

export const miscHandlers: Record<string, Handler> = {
  help: async ({ args }, { paint, width }) => helpFor(args, paint, width),

  // Only a terminal understands the escape sequence; without colour there is nothing to clear.
  clear: async (_, { color }) => (color ? '\x1b[2J\x1b[3J\x1b[H' : ''),

  theme: async () => 'the theme is a setting of the dashboard page; nothing to do here',

  'monitor devices': async (_, { client, paint, width }) =>
    `${deviceTable(await allDevices(client), paint, width)}\n${paint.dim(LIVE_HINT)}`,

  'monitor tasks': async (_, { client, paint, width }) => {
    const data = await client.json<TaskPageView>('GET', `/api/v1/tasks${query({ page_size: 10 })}`);
    return `${taskTable(data.tasks, paint, width)}\n${paint.dim(LIVE_HINT)}`;
  },

  'monitor logs': async (_, { client, paint }) => {
    const text = await client.text(`/text/logs${query({ limit: 20 })}`);
    return `${text.trimEnd() || paint.dim('No events yet.')}\n${paint.dim(LIVE_HINT)}`;
  },
};
