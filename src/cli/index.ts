/**
 * `retire-cluster <command>`. Subcommands live in commands/, one file each; every one but `main`,
 * `worker` and `api` talks to the HTTP API through client.ts.
 */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../main/version.ts';
import { runWorker } from '../worker/main.ts';
import { WORKER_USAGE } from '../worker/options.ts';
import { ApiError } from './client.ts';
import { registerApi } from './commands/api.ts';
import { registerBackup } from './commands/backup.ts';
import { registerToken } from './commands/token.ts';
import { registerDevices } from './commands/devices.ts';
import { registerMain } from './commands/main.ts';
import { registerMcp } from './commands/mcp.ts';
import { registerStatus } from './commands/status.ts';
import { registerSubmit } from './commands/submit.ts';
import { registerTasks } from './commands/tasks.ts';
import { registerWatch } from './commands/watch.ts';
import { InterruptedError, UsageError } from './errors.ts';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, exitCodesHelp } from './exitCodes.ts';

const CONNECTION_HELP = `
The client commands (status, devices, tasks, submit, watch, mcp) talk to a main node's HTTP API:
  --url URL or RC_URL            default http://127.0.0.1:8081
  --token T or RC_API_TOKEN      default: the API token in the data dir (--data-dir, RC_DATA_DIR,
                                 ~/.retire-cluster), i.e. on the main node's own machine
Every command has --help.`;

export function buildProgram(): Command {
  const program = new Command('retire-cluster')
    .description('Turn the idle devices you already own into one cluster that runs work.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', CONNECTION_HELP + '\n' + exitCodesHelp());
  registerMain(program);
  program
    .command('worker')
    .description('join this device to a main node and run tasks (see: retire-cluster worker --help)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', '\n' + WORKER_USAGE);
  registerStatus(program);
  registerDevices(program);
  registerTasks(program);
  registerSubmit(program);
  registerWatch(program);
  registerApi(program);
  registerBackup(program);
  registerToken(program);
  registerMcp(program);
  return program;
}

export async function run(argv: readonly string[]): Promise<number> {
  // The worker parses its own flags (the same code runs in the dependency-free bundle).
  if (argv[0] === 'worker') {
    return runWorker(argv.slice(1), {
      command: [process.execPath, fileURLToPath(import.meta.url), 'worker'],
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  // Commander already printed its message (and the help); 0 is --help / --version.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n(run with --help for usage)`);
    return EXIT_USAGE;
  }
  if (error instanceof InterruptedError) {
    console.error(error.message);
    return EXIT_INTERRUPTED;
  }
  if (error instanceof ApiError) {
    const code = error.code && error.code !== 'ERROR' ? ` (${error.code})` : '';
    console.error(`error: ${error.message}${code}`);
    return EXIT_FAILED;
  }
  console.error(`error: ${(error as Error).message}`);
  return EXIT_FAILED;
}

const entry = (process.argv[1] ?? '').replace(/\\/g, '/');
if (/\/cli\/index\.[jt]s$/.test(entry)) {
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
