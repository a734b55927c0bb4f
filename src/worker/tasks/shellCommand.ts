import { stat } from '../fsAsync.ts';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { runChild, SpawnError, type ChildResult } from './childProcess.ts';
import { failed, stopped, succeeded } from './outcome.ts';
import {
  optionalSeconds,
  optionalString,
  optionalStringRecord,
  payloadObject,
  requiredString,
  validate,
} from './payload.ts';
import type { TaskContext, TaskHandler, TaskOutcome } from './taskHandler.ts';

interface ShellPayload {
  command: string;
  cwd: string | undefined;
  env: Record<string, string> | undefined;
  timeout: number | undefined;
}

function parseShellPayload(payload: unknown): ShellPayload {
  const fields = payloadObject(payload);
  return {
    command: requiredString(fields, 'command'),
    cwd: optionalString(fields, 'cwd'),
    env: optionalStringRecord(fields, 'env'),
    timeout: optionalSeconds(fields, 'timeout'),
  };
}

/** The platform shell, invoked the way Node's own `shell: true` does it. */
function shellInvocation(command: string): {
  command: string;
  args: string[];
  windowsVerbatimArguments: boolean;
} {
  if (process.platform === 'win32') {
    const comspec = process.env.ComSpec ?? 'cmd.exe';
    return { command: comspec, args: ['/d', '/s', '/c', `"${command}"`], windowsVerbatimArguments: true };
  }
  return { command: '/bin/sh', args: ['-c', command], windowsVerbatimArguments: false };
}

/** A clear message instead of spawn's misleading "ENOENT /bin/sh" when the cwd is wrong. */
async function cwdProblem(cwd: string): Promise<string | undefined> {
  try {
    if ((await stat(cwd)).isDirectory()) return undefined;
    return `payload.cwd is not a directory: ${cwd}`;
  } catch {
    return `payload.cwd does not exist: ${cwd}`;
  }
}

/** Like Python's subprocess: a child killed by signal N reports -N. */
function returnCode(child: ChildResult): number | null {
  if (child.exitCode !== null) return child.exitCode;
  return child.exitSignal === null ? null : -(constants.signals[child.exitSignal] ?? 0);
}

function outcomeOf(child: ChildResult, timeoutMs: number): TaskOutcome {
  const result_data = {
    return_code: returnCode(child),
    stdout: child.stdout,
    stderr: child.stderr,
    ...(child.truncated ? { truncated: true } : {}),
  };
  if (child.stoppedBy === 'timeout') {
    const after = `${timeoutMs / 1000} s`;
    return stopped('timeout', `command timed out after ${after}; its process group was killed`, result_data);
  }
  if (child.stoppedBy === 'cancelled') {
    return stopped('cancelled', 'command was cancelled; its process group was killed', result_data);
  }
  if (child.exitCode === 0) return succeeded(result_data);
  const how =
    child.exitCode === null ? `was killed by ${child.exitSignal}` : `exited with code ${child.exitCode}`;
  return failed(`command ${how}`, result_data);
}

async function run(context: TaskContext): Promise<TaskOutcome> {
  const parsed = validate(parseShellPayload, context.payload);
  if (!parsed.ok) return parsed.outcome;
  const payload = parsed.value;
  const cwd = payload.cwd === undefined ? context.workDir : resolve(context.workDir, payload.cwd);
  const problem = await cwdProblem(cwd);
  if (problem !== undefined) return failed(problem);
  // The payload may ask for less time than the task has, never for more.
  const timeoutMs = Math.min(context.timeoutMs, (payload.timeout ?? Infinity) * 1000);
  try {
    const child = await runChild({
      ...shellInvocation(payload.command),
      cwd,
      env: { ...context.env, ...payload.env },
      signal: context.signal,
      maxOutputBytes: context.maxOutputBytes,
      timeoutMs,
    });
    return outcomeOf(child, timeoutMs);
  } catch (error) {
    if (error instanceof SpawnError) return failed(error.message);
    throw error;
  }
}

/** Runs `payload.command` through the platform shell in its own process group. */
export const shellCommandHandler: TaskHandler = { type: 'shell_command', run };
