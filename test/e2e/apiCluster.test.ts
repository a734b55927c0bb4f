import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { call } from '../helpers/http.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** Every route the issue lists, as OpenAPI paths. */
const ISSUE_ROUTES = [
  'get /api/v1',
  'get /api/v1/cluster/status',
  'get /api/v1/cluster/health',
  'get /api/v1/cluster/metrics',
  'get /api/v1/devices',
  'get /api/v1/devices/summary',
  'get /api/v1/devices/{id}',
  'get /api/v1/devices/{id}/status',
  'post /api/v1/devices/{id}/drain',
  'post /api/v1/devices/{id}/undrain',
  'delete /api/v1/devices/{id}',
  'post /api/v1/tasks',
  'get /api/v1/tasks',
  'get /api/v1/tasks/{id}',
  'get /api/v1/tasks/{id}/status',
  'get /api/v1/tasks/{id}/result',
  'get /api/v1/tasks/{id}/events',
  'post /api/v1/tasks/{id}/cancel',
  'post /api/v1/tasks/{id}/retry',
  'get /api/v1/tasks/statistics',
  'get /api/v1/tasks/types',
  'get /api/v1/events',
  'get /text/devices',
  'get /text/status',
  'get /text/logs',
  'get /metrics',
  'get /openapi.json',
  'get /docs',
  'get /health',
];

test('cluster, metrics, text and docs endpoints over real HTTP', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const worker = procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1'), args: ['--tags', 'a,b'] }),
  );
  await main.waitForDevice('w1');
  const echoes = await Promise.all([1, 2, 3].map((n) => main.submit({ task_type: 'echo', payload: n })));
  const failing = await main.submit({
    task_type: 'shell_command',
    payload: { command: 'exit 3' },
    max_retries: 0,
  });
  for (const id of [...echoes, failing]) await main.waitForTask(id);

  await t.test('GET /api/v1: version, features, endpoints', async () => {
    const { status, body } = await main.api('GET', '/api/v1');
    assert.equal(status, 200);
    assert.match(body.data.version, /^\d+\.\d+\.\d+/);
    assert.ok(body.data.features.includes('events-sse'));
    const listed = new Set(body.data.endpoints.map((e: any) => `${e.method.toLowerCase()} ${e.path}`));
    for (const route of ISSUE_ROUTES) assert.ok(listed.has(route), route);
    assert.equal((await main.api('GET', '/api/v1', undefined, null)).status, 401);
  });

  await t.test('cluster status: cluster_stats and tasks_by_status', async () => {
    const { body } = await main.api('GET', '/api/v1/cluster/status');
    const stats = body.data.cluster_stats;
    assert.equal(stats.total_devices, 1);
    assert.equal(stats.online_devices, 1);
    assert.equal(stats.offline_devices, 0);
    assert.equal(stats.health_percentage, 100);
    assert.ok(stats.total_resources.cpu_cores >= 1);
    assert.ok(stats.total_resources.memory_gb > 0);
    assert.equal(typeof stats.total_resources.storage_gb, 'number');
    assert.deepEqual(stats.by_role, { worker: 1 });
    assert.deepEqual(stats.by_platform, { [process.platform]: 1 });
    assert.deepEqual(stats.by_status, { online: 1 });
    for (const s of ['queued', 'assigned', 'running', 'success', 'failed', 'cancelled', 'timeout'])
      assert.equal(typeof body.data.tasks_by_status[s], 'number', s);
    assert.equal(body.data.tasks_by_status.success, 3);
    assert.equal(body.data.tasks_by_status.failed, 1);
  });

  await t.test('cluster metrics: utilisation, throughput, queue, latency percentiles', async () => {
    const data = await waitFor(async () => {
      const { body } = await main.api('GET', '/api/v1/cluster/metrics');
      return body.data.heartbeats.total > 0 ? body.data : null;
    }, 15_000);
    assert.equal(data.utilisation.devices_online, 1);
    assert.equal(data.utilisation.slots_total, 2);
    assert.equal(data.utilisation.slots_used, 0);
    assert.equal(data.throughput.window_seconds, 60);
    assert.equal(data.throughput.finished, 4);
    assert.equal(data.throughput.succeeded, 3);
    assert.equal(data.throughput.failed, 1);
    assert.equal(data.queue.depth, 0);
    assert.equal(data.latency.dispatch_ms.count, 4);
    assert.equal(data.latency.run_ms.count, 4);
    for (const key of ['p50', 'p90', 'p99', 'max']) {
      assert.equal(typeof data.latency.dispatch_ms[key], 'number', key);
      assert.ok(data.latency.run_ms[key] >= 0, key);
    }
    assert.ok(data.latency.dispatch_ms.p50 <= data.latency.dispatch_ms.p99);
    assert.deepEqual(data.totals, { submitted: 4, finished: 4, retries: 0 });
  });

  await t.test('GET /metrics: Prometheus exposition', async () => {
    const response = await call(main, '/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^rc_devices\{status="online"\} 1$/m);
    assert.match(text, /^rc_devices\{status="offline"\} 0$/m);
    assert.match(text, /^rc_tasks\{status="success",task_type="echo"\} 3$/m);
    assert.match(text, /^rc_tasks_by_status\{status="failed"\} 1$/m);
    assert.match(text, /^rc_tasks_finished_total\{task_type="echo",status="success"\} 3$/m);
    assert.match(text, /^rc_tasks_finished_total\{task_type="shell_command",status="failed"\} 1$/m);
    assert.match(text, /^rc_queue_depth 0$/m);
    assert.match(text, /^rc_task_dispatch_latency_seconds_count 4$/m);
    assert.match(text, /^rc_task_dispatch_latency_seconds_bucket\{le="\+Inf"\} 4$/m);
    assert.match(text, /^rc_task_run_seconds_count\{status="success"\} 3$/m);
    assert.match(text, /^rc_heartbeats_total\{device_id="w1"\} [1-9]\d*$/m);
    assert.match(text, /^process_cpu_seconds_total /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    const anonymous = await call(main, '/metrics', { token: null });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as any).error_code, 'MISSING_API_KEY');
  });

  await t.test('GET /text/devices: pipe-separated, CSV, TSV, with a header line', async () => {
    const plain = await call(main, '/text/devices');
    assert.match(plain.headers.get('content-type')!, /^text\/plain/);
    const lines = (await plain.text()).trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^device_id \| status \| role \| platform \|/);
    assert.match(lines[1]!, /^w1 \| online \| worker \| /);
    assert.ok(lines[1]!.includes(' | a;b | '));

    const csv = await call(main, '/text/devices', { headers: { accept: 'text/csv' } });
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    const rows = (await csv.text()).trimEnd().split('\r\n');
    assert.equal(rows[0]!.split(',')[0], 'device_id');
    assert.equal(rows[0]!.split(',').length, rows[1]!.split(',').length);
    assert.match(rows[1]!, /^w1,online,worker,/);

    const tsv = await call(main, '/text/devices', { headers: { accept: 'text/tab-separated-values' } });
    assert.match(tsv.headers.get('content-type')!, /^text\/tab-separated-values/);
    const cells = (await tsv.text()).trimEnd().split('\n')[1]!.split('\t');
    assert.deepEqual(cells.slice(0, 3), ['w1', 'online', 'worker']);

    const filtered = await call(main, '/text/devices?status=offline');
    assert.equal((await filtered.text()).trimEnd().split('\n').length, 1, 'the header alone');
    assert.equal((await call(main, '/text/devices?status=asleep')).status, 400);
    assert.equal((await call(main, '/text/devices', { token: 'wrong' })).status, 401);
  });

  await t.test('GET /text/status and /text/logs', async () => {
    const status = await (await call(main, '/text/status')).text();
    assert.match(status, /^devices_online: 1$/m);
    assert.match(status, /^tasks_success: 3$/m);
    assert.match(status, /^queue_depth: 0$/m);

    const logs = await call(main, '/text/logs');
    assert.match(logs.headers.get('content-type')!, /^text\/plain/);
    const text = await logs.text();
    assert.match(text, /^\S+Z device\.online device=w1$/m);
    assert.match(text, new RegExp(`^\\S+Z task\\.success task=${echoes[0]} device=w1$`, 'm'));
    assert.match(text, new RegExp(`^\\S+Z task\\.failed task=${failing} device=w1 error="`, 'm'));
    const lastTwo = (await (await call(main, '/text/logs?limit=2')).text()).trimEnd().split('\n');
    assert.equal(lastTwo.length, 2);
    assert.equal(lastTwo.at(-1), text.trimEnd().split('\n').at(-1), 'the most recent, oldest first');
    assert.equal((await call(main, '/text/logs?limit=0')).status, 400);
  });

  await t.test('/openapi.json is valid OpenAPI 3.1 and lists every route; /docs renders it', async () => {
    const response = await call(main, '/openapi.json', { token: null });
    assert.equal(response.status, 200);
    const document = (await response.json()) as any;
    const result = await new Validator().validate(structuredClone(document));
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.match(document.openapi, /^3\.1\./);
    for (const route of ISSUE_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const op = document.paths[path]?.[method];
      assert.ok(op, `${route} is documented`);
      assert.ok(Object.keys(op.responses).length > 0, `${route} has responses`);
    }
    const docs = await call(main, '/docs', { token: null });
    assert.match(docs.headers.get('content-type')!, /^text\/html/);
    const html = await docs.text();
    assert.match(html, /<title>Retire-Cluster API/);
    assert.ok(html.includes('/api/v1/tasks/{id}/result'));
    assert.ok(!/<script|https?:\/\/cdn/i.test(html), 'no script, nothing from elsewhere');
  });

  await t.test('health: 200 with every component ok; 503 degraded once no device is online', async () => {
    const healthy = await main.api('GET', '/api/v1/cluster/health');
    assert.equal(healthy.status, 200);
    assert.equal(healthy.body.data.status, 'healthy');
    for (const name of ['store', 'devices', 'queue'])
      assert.equal(healthy.body.data.components[name].status, 'ok', name);

    await worker.kill('SIGKILL');
    await main.waitForDevice('w1', 'disconnected');
    const degraded = await main.api('GET', '/api/v1/cluster/health');
    assert.equal(degraded.status, 503);
    assert.equal(degraded.body.status, 'error');
    assert.equal(degraded.body.error_code, 'UNAVAILABLE');
    assert.match(degraded.body.message, /devices: none of 1 devices is online/);
    assert.equal(degraded.body.error_details.status, 'degraded');
    assert.equal(degraded.body.error_details.components.devices.status, 'degraded');
    assert.equal(degraded.body.error_details.components.store.status, 'ok');
    assert.equal((await call(main, '/health', { token: null })).status, 200, 'liveness is another matter');
  });
});
