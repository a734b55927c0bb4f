import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonEvalHandler } from '../../src/worker/tasks/pythonEval.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { taskContext } from './taskContext.ts';

test('python_eval evaluates an expression in python3', async () => {
  using task = taskContext({ expression: 'sum(range(10)) * 2' });
  assert.deepEqual(await pythonEvalHandler.run(task.context), {
    status: 'success',
    result_data: { result: 90, stdout: '', stderr: '' },
  });
});

test('python_eval reports a value JSON cannot carry as its repr', async () => {
  using task = taskContext({ expression: '{1, 2}' });
  const outcome = await pythonEvalHandler.run(task.context);
  assert.deepEqual(outcome.result_data, { result: '{1, 2}', stdout: '', stderr: '' });
});

test('python_eval runs code, keeping its output and its `result` variable', async () => {
  using task = taskContext({
    code: 'import sys\nprint("hello")\nprint("warn", file=sys.stderr)\nresult = {"n": 1}',
  });
  assert.deepEqual(await pythonEvalHandler.run(task.context), {
    status: 'success',
    result_data: { result: { n: 1 }, stdout: 'hello\n', stderr: 'warn\n' },
  });
});

test('python_eval turns an exception into failed with the traceback', async () => {
  using task = taskContext({
    code: 'import sys\nprint("before", file=sys.stderr)\ndef f():\n    raise ValueError("boom")\nf()',
  });
  const outcome = await pythonEvalHandler.run(task.context);
  assert.equal(outcome.status, 'failed');
  const error = outcome.status === 'failed' ? outcome.error : '';
  assert.match(error, /^Traceback/);
  assert.match(error, /raise ValueError\("boom"\)/);
  assert.match(error, /ValueError: boom\n$/);
  assert.doesNotMatch(error, /<string>/, 'the runner frames are hidden');
  assert.deepEqual(outcome.result_data, { stdout: '', stderr: 'before\n' });
});

test('python_eval reports a syntax error', async () => {
  using task = taskContext({ expression: '1 +' });
  const outcome = await pythonEvalHandler.run(task.context);
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.status === 'failed' ? outcome.error : '', /SyntaxError/);
});

test('python_eval needs exactly one of expression and code', async () => {
  for (const payload of [{}, { expression: '1', code: '2' }]) {
    using task = taskContext(payload);
    const outcome = await pythonEvalHandler.run(task.context);
    assert.equal(
      outcome.status === 'failed' && outcome.error,
      'payload must have exactly one of payload.expression or payload.code',
    );
  }
  using task = taskContext({ code: 42 });
  const outcome = await pythonEvalHandler.run(task.context);
  assert.equal(outcome.status === 'failed' && outcome.error, 'payload.code must be a non-empty string');
});

test('python_eval is killed on cancel', async () => {
  using task = taskContext({ code: 'import time\nopen("started", "w").close()\ntime.sleep(30)' });
  const running = pythonEvalHandler.run(task.context);
  await waitFor(() => existsSync(join(task.context.workDir, 'started')), 5_000, 'python to start');
  const cancelledAt = Date.now();
  task.controller.abort('cancelled');
  assert.equal((await running).status, 'cancelled');
  assert.ok(Date.now() - cancelledAt < 1_000);
});
