/** The ids Tab completes, read through the REST API; a completion never fails over them. */
import type { DevicePage } from '../main/deviceQueries.ts';
import type { TaskPageView } from '../main/taskQueries.ts';
import type { TerminalClient } from './client.ts';
import type { SuggestSource } from './suggest.ts';

export function apiSuggestSource(client: TerminalClient): SuggestSource {
  const quietly = async (read: () => Promise<string[]>) => {
    try {
      return await read();
    } catch {
      // No ids to offer is a fine answer to Tab; the command itself will report the problem.
      return [];
    }
  };
  return {
    deviceIds: () =>
      quietly(async () =>
        (await client.json<DevicePage>('GET', '/api/v1/devices?page_size=100')).devices.map(
          (d) => d.device_id,
        ),
      ),
    taskIds: () =>
      quietly(async () =>
        (await client.json<TaskPageView>('GET', '/api/v1/tasks?page_size=50')).tasks.map((t) => t.task_id),
      ),
    taskTypes: () =>
      quietly(async () =>
        (
          await client.json<{ task_types: { task_type: string }[] }>('GET', '/api/v1/tasks/types')
        ).task_types.map((t) => t.task_type),
      ),
  };
}
