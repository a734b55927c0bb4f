/**
 * `retire-cluster <command>`. Subcommands live in commands/, one file each; every one but `main` and
 * `worker` talks to the HTTP API through client.ts.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../main/version.ts';
import { runWorker } from '../worker/main.ts';
import { WORKER_USAGE } from '../worker/options.ts';
import { ApiError } from './client.ts';
import { registerMain } from './commands/main.ts';
import { registerStatus } from './commands/status.ts';
import { registerSubmit } from './commands/submit.ts';

export function buildProgram(): Command {
  const program = new Command('retire-cluster')
    .description('Turn the idle devices you already own into one cluster that runs work.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerMain(program);
  program
    .command('worker')
    .description('join this device to a main node and run tasks (see: retire-cluster worker --help)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', '\n' + WORKER_USAGE);
  registerStatus(program);
  registerSubmit(program);
  return program;
}

export async function run(argv: readonly string[]): Promise<number> {
  // The worker parses its own flags (the same code runs in the dependency-free bundle).
  if (argv[0] === 'worker') return runWorker(argv.slice(1));
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ApiError) {
      console.error(
        `error: ${error.message}${error.code && error.code !== 'ERROR' ? ` (${error.code})` : ''}`,
      );
      return 1;
    }
    console.error(`error: ${(error as Error).message}`);
    return 1;
  }
}

const entry = (process.argv[1] ?? '').replace(/\\/g, '/');
if (entry.endsWith('/cli/index.ts')) {
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
