import { randomUUID } from 'node:crypto';
import { readFile, rm, stat } from '../fsAsync.ts';
import { join } from 'node:path';
import { runChild, SpawnError, type ChildResult } from './childProcess.ts';
import { failed, stopped, succeeded } from './outcome.ts';
import { PayloadError, payloadObject, validate } from './payload.ts';
import { PYTHON_RUNNER } from './pythonRunner.ts';
import type { TaskContext, TaskHandler, TaskOutcome } from './taskHandler.ts';

interface PythonJob {
  mode: 'expression' | 'code';
  source: string;
}

type RunnerReport = { ok: true; result: unknown } | { ok: false; error: string };

function parsePythonJob(payload: unknown): PythonJob {
  const fields = payloadObject(payload);
  const hasExpression = fields.expression !== undefined && fields.expression !== null;
  const hasCode = fields.code !== undefined && fields.code !== null;
  if (hasExpression === hasCode) {
    throw new PayloadError('payload must have exactly one of payload.expression or payload.code');
  }
  const mode = hasExpression ? 'expression' : 'code';
  const source = fields[mode];
  if (typeof source !== 'string' || source.trim().length === 0) {
    throw new PayloadError(`payload.${mode} must be a non-empty string`);
  }
  return { mode, source };
}

/** The runner's report, or undefined if Python died before writing one. */
async function readReport(path: string, maxBytes: number): Promise<RunnerReport | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return undefined;
  }
  if (size > maxBytes) return { ok: false, error: `the result is larger than ${maxBytes} bytes` };
  return JSON.parse(await readFile(path, 'utf8')) as RunnerReport;
}

async function outcomeOf(child: ChildResult, reportPath: string, context: TaskContext): Promise<TaskOutcome> {
  const output = {
    stdout: child.stdout,
    stderr: child.stderr,
    ...(child.truncated ? { truncated: true } : {}),
  };
  if (child.stoppedBy !== null) {
    const what = child.stoppedBy === 'timeout' ? 'timed out' : 'was cancelled';
    return stopped(child.stoppedBy, `python3 ${what}; its process group was killed`, output);
  }
  const report = await readReport(reportPath, context.maxOutputBytes);
  if (report === undefined) {
    const how =
      child.exitCode === null ? `was killed by ${child.exitSignal}` : `exited with code ${child.exitCode}`;
    return failed(`python3 ${how} before reporting a result`, output);
  }
  if (!report.ok) return failed(report.error, output);
  return succeeded({ result: report.result, ...output });
}

async function run(context: TaskContext): Promise<TaskOutcome> {
  const parsed = validate(parsePythonJob, context.payload);
  if (!parsed.ok) return parsed.outcome;
  const reportPath = join(context.workDir, `.rc-python-${randomUUID()}.json`);
  try {
    const child = await runChild({
      command: 'python3',
      args: ['-c', PYTHON_RUNNER, reportPath],
      cwd: context.workDir,
      env: { ...context.env, PYTHONIOENCODING: 'utf-8' },
      signal: context.signal,
      maxOutputBytes: context.maxOutputBytes,
      timeoutMs: context.timeoutMs,
      input: JSON.stringify(parsed.value),
    });
    return await outcomeOf(child, reportPath, context);
  } catch (error) {
    if (error instanceof SpawnError) return failed(`${error.message} (is python3 installed?)`);
    throw error;
  } finally {
    await rm(reportPath, { force: true });
  }
}

/** Evaluates Python in a `python3` subprocess, never inside the worker. */
export const pythonEvalHandler: TaskHandler = { type: 'python_eval', run };
