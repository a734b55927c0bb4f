import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const LOG = new URL('../../src/worker/log.ts', import.meta.url).href;

/** Runs `body` with `log` in a child and returns what it wrote to stderr, as parsed lines. */
function logged(body: string, options = '{}'): Record<string, unknown>[] {
  const script = `import { createWorkerLog } from ${JSON.stringify(LOG)};
    const log = createWorkerLog(${options});
    ${body}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return child.stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('lines of one turn come out in order, with level, time and fields; errors keep name and message', () => {
  const lines = logged(`
    log.info('task finished', { task_id: 't1', ms: 3 });
    log.warn('boom', { error: new TypeError('bad thing') });
    log.debug('hidden');
    setTimeout(() => log.error('later', { code: 'X' }), 5);`);
  assert.deepEqual(
    lines.map(({ time: _time, ...rest }) => rest),
    [
      { level: 'info', component: 'worker', msg: 'task finished', task_id: 't1', ms: 3 },
      { level: 'warn', component: 'worker', msg: 'boom', error: { name: 'TypeError', message: 'bad thing' } },
      { level: 'error', component: 'worker', msg: 'later', code: 'X' },
    ],
  );
  for (const line of lines) assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('debug lines appear only with debug on; silent writes nothing, not even at exit', () => {
  assert.deepEqual(
    logged(`log.debug('seen', { n: 1 });`, '{ debug: true }').map((line) => line.msg),
    ['seen'],
  );
  assert.deepEqual(logged(`log.error('unseen'); process.exit(0);`, '{ silent: true }'), []);
});
