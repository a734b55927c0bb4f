/** `export devices|tasks [--format=csv|json|tsv]`: every row, for a spreadsheet or a script. */
import { flagValue } from '../parse.ts';
import type { Handler } from './context.ts';
import { allDevices, allTasks, devicesAsText, tasksAsTable } from './lists.ts';

export const exportHandlers: Record<string, Handler> = {
  'export devices': async (invocation, { client }) => {
    const format = flagValue(invocation, 'format') ?? 'csv';
    if (format === 'json') return JSON.stringify(await allDevices(client), null, 2);
    return devicesAsText(client, {}, format === 'tsv' ? 'tsv' : 'csv');
  },

  'export tasks': async (invocation, { client }) => {
    const format = flagValue(invocation, 'format') ?? 'csv';
    const tasks = await allTasks(client, { status: flagValue(invocation, 'status') });
    if (format === 'json') return JSON.stringify(tasks, null, 2);
    return tasksAsTable(tasks, format === 'tsv' ? 'tsv' : 'csv');
  },
};
