import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripAnsi } from '../../src/terminal/ansi.ts';
import { ApiCallError, type TerminalClient } from '../../src/terminal/client.ts';
import { parsePayload, submission } from '../../src/terminal/commands/tasks.ts';
import { parseInvocation } from '../../src/terminal/parse.ts';
import { runCommand } from '../../src/terminal/run.ts';

const device = (id: string, status: string) => ({
  device_id: id,
  status,
  draining: false,
  role: 'worker',
  platform: 'linux',
  arch: 'x64',
  cpu_count: 4,
  memory_total_gb: 8,
  max_concurrent_tasks: 2,
  running_tasks: [],
  // Long ago, so the printed age cannot change while the test runs.
  last_seen: new Date(Date.now() - 3 * 86_400_000 - 1_800_000).toISOString(),
  metrics: { cpu_percent: 12.4, memory_percent: 40, battery_percent: null },
});

/** A client answering from fixed data, recording the calls it got. */
function fakeClient(): TerminalClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
      if (path.startsWith('/api/v1/devices?')) {
        return {
          devices: [device('pi-4', 'online'), device('nas', 'offline')],
          count: 2,
          pagination: { has_next: false },
        } as T;
      }
      if (path === '/api/v1/devices/ghost')
        throw new ApiCallError(404, 'DEVICE_NOT_FOUND', 'device ghost not found');
      if (path === '/api/v1/tasks' && method === 'POST') {
        return { task_id: 't1', task: { task_id: 't1', task_type: 'echo', priority: 'normal' } } as T;
      }
      if (path.startsWith('/api/v1/tasks/t1/wait')) {
        return {
          is_terminal: true,
          task: {
            task_id: 't1',
            status: 'failed',
            attempt: 1,
            result: { device_id: 'pi-4', duration_ms: 5, result_data: null, error: 'boom' },
          },
        } as T;
      }
      throw new Error(`unexpected call ${method} ${path}`);
    },
    async text(path: string, accept?: string): Promise<string> {
      calls.push(`TEXT ${path} ${accept}`);
      return 'device_id,status\r\npi-4,online\r\n';
    },
  };
}

test('a command runs through the REST API and prints a table; colours only when asked', async () => {
  const client = fakeClient();
  const plain = await runCommand('devices list --status=online', client, { color: false });
  assert.equal(plain.exit_code, 0);
  assert.match(plain.output, /^DEVICE\s+STATUS/);
  assert.match(plain.output, /pi-4\s+online/);
  assert.ok(!plain.output.includes('\x1b['));
  assert.equal(client.calls[0], 'GET /api/v1/devices?status=online&page=1&page_size=100');
  const coloured = await runCommand('devices list', client, { color: true });
  assert.ok(coloured.output.includes('\x1b[32monline'));
  assert.equal(stripAnsi(coloured.output), plain.output);
});

test('| grep keeps matching lines (any case, colours ignored); -v the others; no match is exit 1', async () => {
  const client = fakeClient();
  const only = await runCommand('devices list | grep PI-4', client, { color: true });
  assert.equal(stripAnsi(only.output).split('\n').length, 1);
  assert.match(stripAnsi(only.output), /^pi-4/);
  const not = await runCommand('devices list | grep -v pi-4 | grep -v DEVICE', client, { color: false });
  assert.match(not.output, /^nas\s+offline/m);
  assert.doesNotMatch(not.output, /pi-4/);
  const none = await runCommand('devices list | grep nothing-like-this', client, { color: false });
  assert.deepEqual(none, { output: '', exit_code: 1 });
});

test('a narrow terminal gets fewer columns', async () => {
  const wide = await runCommand('devices list', fakeClient(), { color: false, width: 200 });
  const narrow = await runCommand('devices list', fakeClient(), { color: false, width: 30 });
  assert.match(wide.output, /LAST SEEN/);
  assert.doesNotMatch(narrow.output, /LAST SEEN|PLATFORM/);
  assert.match(narrow.output, /^DEVICE\s+STATUS/);
  for (const line of narrow.output.split('\n').slice(0, 3)) assert.ok(line.length <= 30, line);
});

test('csv and tsv come from the text endpoint, with plain newlines', async () => {
  const client = fakeClient();
  const csv = await runCommand('devices list --format=csv --role=worker', client, { color: true });
  assert.deepEqual(csv, { output: 'device_id,status\npi-4,online', exit_code: 0 });
  assert.equal(client.calls[0], 'TEXT /text/devices?role=worker text/csv');
});

test('API errors and usage errors become output with an exit code, never filtered by grep', async () => {
  const notFound = await runCommand('devices show ghost | grep zzz', fakeClient(), { color: false });
  assert.deepEqual(notFound, { output: 'error: device ghost not found (DEVICE_NOT_FOUND)', exit_code: 1 });
  const unknown = await runCommand('devcies', fakeClient(), { color: false });
  assert.equal(unknown.exit_code, 127);
  assert.match(unknown.output, /^error: unknown command: devcies\ndid you mean: devices\?/);
  const quote = await runCommand(`tasks show 'abc`, fakeClient(), { color: false });
  assert.equal(quote.exit_code, 2);
  assert.match(quote.output, /unterminated ' quote/);
});

test('tasks submit --wait reports the outcome; a failed task is exit 1', async () => {
  const client = fakeClient();
  const result = await runCommand(`tasks submit echo --payload='{"m":1}' --priority=high --wait`, client, {
    color: false,
  });
  assert.equal(
    client.calls[0],
    'POST /api/v1/tasks {"task_type":"echo","payload":{"m":1},"priority":"high"}',
  );
  assert.equal(client.calls[1], 'GET /api/v1/tasks/t1/wait?timeout=300');
  assert.equal(result.exit_code, 1);
  assert.match(result.output, /^t1 {2}failed on pi-4 in 5ms\nerror: boom$/);
});

test('help, command --help and the page-only commands answer without the API', async () => {
  const client = fakeClient();
  const help = await runCommand('help', client, { color: false });
  assert.match(help.output, /devices list\|show\|drain\|undrain\|remove/);
  const submit = await runCommand('tasks submit --help', client, { color: false });
  assert.match(submit.output, /^usage: tasks submit TYPE/);
  assert.match(submit.output, /--payload=JSON/);
  assert.match((await runCommand('help devices', client, { color: false })).output, /devices show ID/);
  assert.equal((await runCommand('help nonsense', client, { color: false })).exit_code, 2);
  assert.deepEqual(await runCommand('clear', client, { color: false }), { output: '', exit_code: 0 });
  // On a phone the descriptions go under the names rather than wrapping into them.
  const narrow = await runCommand('tasks submit --help', client, { color: false, width: 40 });
  assert.match(narrow.output, /\n {2}--wait\n {6}wait for the result/);
  const flagLines = narrow.output.split('\n').filter((line) => line.startsWith('  --'));
  assert.ok(flagLines.every((line) => line.length <= 40));
  assert.deepEqual(client.calls, []);
});

test('the submission body: payload as JSON or as a string, pins and limits', () => {
  assert.deepEqual(
    submission(
      parseInvocation([
        'tasks',
        'submit',
        'sleep',
        '--payload={"duration":1}',
        '--device=pi',
        '--timeout=9',
        '--retries=0',
      ]),
    ),
    {
      task_type: 'sleep',
      payload: { duration: 1 },
      requirements: { device_id: 'pi' },
      timeout_seconds: 9,
      max_retries: 0,
    },
  );
  assert.equal(parsePayload('hello world'), 'hello world');
  assert.equal(parsePayload('42'), 42);
  assert.equal(parsePayload('true'), true);
  assert.equal(parsePayload('"quoted"'), 'quoted');
  assert.equal(parsePayload('1.2.3'), '1.2.3');
  assert.throws(() => parsePayload('{"m":'), /--payload is not valid JSON/);
});
