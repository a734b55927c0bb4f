/**
 * Runs one command line against the cluster: parse, dispatch to the command's handler, filter the
 * output through the `| grep` stages. Mistakes and API errors become output with a non-zero exit
 * code (a shell's stderr): they are never filtered by grep, so an error is always seen.
 */
import { painter, type Paint } from './ansi.ts';
import { ApiCallError, type TerminalClient } from './client.ts';
import { clusterHandlers } from './commands/cluster.ts';
import type { CommandResult, Handler } from './commands/context.ts';
import { deviceHandlers } from './commands/devices.ts';
import { exportHandlers } from './commands/export.ts';
import { commandHelp } from './commands/help.ts';
import { miscHandlers } from './commands/misc.ts';
import { grepLines } from './grep.ts';
import { taskHandlers } from './commands/tasks.ts';
import { ExitCode, type GrepStage, parseLine, UsageError } from './parse.ts';
import { CommandSyntaxError } from './tokenize.ts';

export interface RunOptions {
  /** ANSI colours in the output (the page wants them, scripts usually not). */
  color: boolean;
  /** The terminal's width, so tables fit. */
  width?: number | undefined;
}

export interface RunResult {
  output: string;
  exit_code: number;
}

const HANDLERS: Record<string, Handler> = {
  ...miscHandlers,
  ...clusterHandlers,
  ...deviceHandlers,
  ...taskHandlers,
  ...exportHandlers,
};

export async function runCommand(
  line: string,
  client: TerminalClient,
  options: RunOptions,
): Promise<RunResult> {
  const paint = painter(options.color);
  try {
    const { invocation, filters } = parseLine(line);
    if (!invocation) return { output: '', exit_code: ExitCode.Ok };
    const key = invocation.command.path.join(' ');
    if (invocation.help)
      return finish({ output: commandHelp(invocation.command, paint, options.width), exitCode: 0 }, filters);
    const handler = HANDLERS[key];
    if (!handler) throw new Error(`no handler for "${key}"`);
    const answer = await handler(invocation, { client, paint, color: options.color, width: options.width });
    return finish(typeof answer === 'string' ? { output: answer, exitCode: ExitCode.Ok } : answer, filters);
  } catch (error) {
    const failure = describeFailure(error, paint);
    if (!failure) throw error;
    return failure;
  }
}

function finish(result: CommandResult, filters: readonly GrepStage[]): RunResult {
  let output = result.output.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  if (filters.length === 0) return { output, exit_code: result.exitCode };
  const lines = grepLines(output.split('\n'), filters);
  output = lines.join('\n');
  // Like grep: nothing matched is a failure, for scripts that test it.
  return { output, exit_code: result.exitCode !== 0 ? result.exitCode : lines.length ? 0 : 1 };
}

function describeFailure(error: unknown, paint: Paint): RunResult | null {
  if (error instanceof UsageError) {
    const hints = error.hints.map((hint) => paint.dim(hint));
    return { output: [paint.red(`error: ${error.message}`), ...hints].join('\n'), exit_code: error.exitCode };
  }
  if (error instanceof CommandSyntaxError) {
    return { output: paint.red(`error: ${error.message}`), exit_code: ExitCode.Usage };
  }
  if (error instanceof ApiCallError) {
    return { output: paint.red(`error: ${error.message} (${error.code})`), exit_code: ExitCode.Failed };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { output: paint.dim('interrupted'), exit_code: ExitCode.Interrupted };
  }
  return null;
}
