import type { Command } from 'commander';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { eventLine } from '../eventFormat.ts';
import { followEvents } from '../eventStream.ts';
import { EXIT_INTERRUPTED, exitCodesHelp } from '../exitCodes.ts';
import { interruptible } from '../interrupt.ts';

interface WatchFlags extends ClientFlags {
  types?: string;
  task?: string;
  device?: string;
  metrics?: boolean;
  json?: boolean;
}

const HELP = `
One line per event: time, type, task and device ids, a short detail. If the stream drops, watch
reconnects and resumes where it left off (nothing missed, nothing twice). Stop it with Ctrl+C.

Examples:
  retire-cluster watch
  retire-cluster watch --types task.failed,task.timeout,device.offline
  retire-cluster watch --task 5f0c... --json | jq .type`;

export function registerWatch(program: Command): void {
  addClientOptions(
    program
      .command('watch')
      .description('live stream of cluster events (tasks, devices)')
      .option(
        '--types <prefixes>',
        'only these event types, comma-separated prefixes (e.g. task.,device.offline)',
      )
      .option('--task <id>', "only this task's events")
      .option('--device <id>', "only this device's events")
      .option('--metrics', 'also show device metrics from heartbeats')
      .option('--json', 'print each event as one JSON line')
      .addHelpText('after', HELP + '\n' + exitCodesHelp('the request failed (unreachable, not allowed)')),
  ).action(async (flags: WatchFlags) => {
    const client = new ApiClient(clientOptions(flags));
    const query = new URLSearchParams();
    if (flags.types) query.set('types', flags.types);
    if (flags.task) query.set('task_id', flags.task);
    if (flags.device) query.set('device_id', flags.device);
    if (flags.metrics) query.set('metrics', '1');
    let announced = false;
    await interruptible(async (signal) => {
      await followEvents(client, {
        query,
        signal,
        onOpen: () => {
          // People see that it is live; --json keeps stdout pure, stderr says it once.
          if (!announced) console.error(`watching ${client.baseUrl} (Ctrl+C to stop)`);
          else console.error('reconnected');
          announced = true;
        },
        onEvent: (event) => console.log(flags.json ? JSON.stringify(event.data) : eventLine(event)),
        onReconnect: (reason, delayMs) =>
          console.error(`stream dropped (${reason}); reconnecting${delayMs ? ` in ${delayMs} ms` : ''}...`),
      });
      if (signal.aborted) process.exitCode = EXIT_INTERRUPTED;
    });
  });
}
