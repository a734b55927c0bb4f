/**
 * What every MCP transport must do against a real cluster, driven by the SDK's own client: the
 * stdio and the Streamable HTTP tests run these same checks.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { MainProcess } from './processes.ts';

export const TOOL_NAMES = [
  'cancel_task',
  'cluster_status',
  'drain_device',
  'get_device',
  'get_task',
  'list_devices',
  'list_tasks',
  'retry_task',
  'run_command',
  'submit_task',
  'wait_for_task',
];

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
};

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

export function text(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

/** `deviceId` is an online worker of `main` that accepts shell_command and sleep. */
export async function checkMcpClient(
  t: TestContext,
  client: Client,
  main: MainProcess,
  deviceId: string,
): Promise<void> {
  await t.test('lists the tools, with input schemas from the REST schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOL_NAMES);
    const submit = tools.find((tool) => tool.name === 'submit_task')!;
    const properties = submit.inputSchema.properties as Record<string, any>;
    assert.deepEqual(properties.priority.enum, ['low', 'normal', 'high', 'urgent']);
    assert.ok(properties.requirements && properties.wait_seconds && properties.payload !== undefined);
    assert.deepEqual(submit.inputSchema.required, ['task_type']);
  });

  await t.test('submit_task with wait_seconds returns the finished task and its result', async () => {
    const result = await call(client, 'submit_task', {
      task_type: 'echo',
      payload: { hello: 'mcp' },
      priority: 'high',
      wait_seconds: 20,
    });
    assert.equal(result.isError, undefined, text(result));
    const { task, is_terminal, task_id } = result.structuredContent!;
    assert.equal(task.status, 'success');
    assert.equal(is_terminal, true);
    assert.equal(task_id, task.task_id);
    assert.deepEqual(task.result.result_data, { echo: { hello: 'mcp' } });
    assert.match(text(result), /is success on/);
    assert.equal((await main.task(task_id)).status, 'success', 'the REST API sees the same task');
  });

  await t.test('run_command returns stdout, stderr and the exit code', async () => {
    const ok = await call(client, 'run_command', { command: 'echo hello-from-mcp', device_id: deviceId });
    assert.equal(ok.isError, undefined, text(ok));
    assert.equal(ok.structuredContent!.status, 'success');
    assert.equal(ok.structuredContent!.exit_code, 0);
    assert.equal(ok.structuredContent!.stdout, 'hello-from-mcp\n');
    assert.equal(ok.structuredContent!.device_id, deviceId);
    assert.match(text(ok), /hello-from-mcp/);

    const failing = await call(client, 'run_command', {
      command: 'echo oops >&2; exit 3',
      requirements: { required_platform: process.platform },
    });
    assert.equal(failing.isError, undefined, 'a non-zero exit is an answer, not a tool error');
    assert.equal(failing.structuredContent!.status, 'failed');
    assert.equal(failing.structuredContent!.exit_code, 3);
    assert.equal(failing.structuredContent!.stderr, 'oops\n');
    const task = await main.task(failing.structuredContent!.task_id);
    assert.equal(task.attempt, 1, 'a failed command is not retried');
  });

  await t.test('a bad input is a tool error that names the field', async () => {
    const badPriority = await call(client, 'submit_task', { task_type: 'echo', priority: 'asap' });
    assert.equal(badPriority.isError, true);
    assert.match(text(badPriority), /priority/);

    const badRequirement = await call(client, 'run_command', {
      command: 'true',
      requirements: { min_cpu_cores: 0 },
    });
    assert.equal(badRequirement.isError, true);
    assert.match(text(badRequirement), /requirements\.min_cpu_cores/);

    const unknownTask = await call(client, 'get_task', { task_id: 'no-such-task' });
    assert.equal(unknownTask.isError, true);
    assert.match(text(unknownTask), /^TASK_NOT_FOUND: /);
    assert.equal(unknownTask.structuredContent!.error_code, 'TASK_NOT_FOUND');

    const unknownDevice = await call(client, 'drain_device', { device_id: 'no-such-device' });
    assert.match(text(unknownDevice), /^DEVICE_NOT_FOUND: /);

    const notRetryable = await call(client, 'retry_task', {
      task_id: (await call(client, 'list_tasks', { status: 'success' })).structuredContent!.tasks[0].task_id,
    });
    assert.equal(notRetryable.isError, true);
    assert.match(text(notRetryable), /^INVALID_STATE: /);
  });

  await t.test('long waits report progress', async () => {
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const result = (await client.callTool(
      { name: 'submit_task', arguments: { task_type: 'sleep', payload: { duration: 3 }, wait_seconds: 30 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    )) as ToolResult;
    assert.equal(result.structuredContent!.task.status, 'success', text(result));
    assert.ok(progress.length >= 1, 'at least one progress notification');
    assert.equal(progress[0]!.total, 30);
    assert.match(progress[0]!.message ?? '', /is (assigned|running) on/);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.progress > progress[i - 1]!.progress);
  });

  await t.test('a cancelled wait stops; the server goes on serving', async () => {
    const submitted = await call(client, 'submit_task', { task_type: 'sleep', payload: { duration: 60 } });
    const taskId: string = submitted.structuredContent!.task_id;
    const controller = new AbortController();
    const started = Date.now();
    const waiting = client.callTool(
      { name: 'wait_for_task', arguments: { task_id: taskId, wait_seconds: 120 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: () => controller.abort(new Error('enough')),
      },
    );
    await assert.rejects(waiting, /enough/);
    assert.ok(Date.now() - started < 10_000);

    const cancelled = await call(client, 'cancel_task', { task_id: taskId });
    assert.equal(cancelled.isError, undefined, text(cancelled));
    const done = await call(client, 'wait_for_task', { task_id: taskId, wait_seconds: 20 });
    assert.equal(done.structuredContent!.task.status, 'cancelled');
  });

  await t.test('device and cluster tools', async () => {
    const status = await call(client, 'cluster_status');
    assert.ok(status.structuredContent!.cluster_stats.online_devices >= 1);
    assert.match(text(status), /devices online/);

    const online = await call(client, 'list_devices', { status: 'online' });
    assert.ok(online.structuredContent!.devices.some((d: any) => d.device_id === deviceId));

    const device = await call(client, 'get_device', { device_id: deviceId });
    assert.equal(device.structuredContent!.device.device_id, deviceId);

    const drained = await call(client, 'drain_device', { device_id: deviceId });
    assert.equal(drained.structuredContent!.device.status, 'draining');
    const back = await call(client, 'drain_device', { device_id: deviceId, drain: false });
    assert.equal(back.structuredContent!.device.status, 'online');
  });

  await t.test('resources are read fresh; an unknown id is an error with the code', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes('retire-cluster://cluster/status'));
    assert.ok(uris.includes('retire-cluster://devices'));
    assert.ok(uris.includes(`retire-cluster://devices/${deviceId}`), 'devices are listed from the template');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((r) => r.uriTemplate).sort(), [
      'retire-cluster://devices/{id}',
      'retire-cluster://tasks/{id}',
    ]);

    const read = async (uri: string) => {
      const { contents } = await client.readResource({ uri });
      return JSON.parse((contents[0] as { text: string }).text);
    };
    assert.ok((await read('retire-cluster://cluster/status')).cluster_stats);
    assert.equal((await read(`retire-cluster://devices/${deviceId}`)).device.device_id, deviceId);
    const [taskId] = (await main.api('GET', '/api/v1/tasks?page_size=1')).body.data.tasks.map(
      (x: any) => x.task_id,
    );
    assert.equal((await read(`retire-cluster://tasks/${taskId}`)).task_id, taskId);
    await assert.rejects(read('retire-cluster://tasks/no-such-task'), /TASK_NOT_FOUND/);
  });

  await t.test('prompts help plan work across devices', async () => {
    const { prompts } = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name).sort(), ['plan_cluster_work', 'run_on_every_device']);
    const prompt = await client.getPrompt({
      name: 'plan_cluster_work',
      arguments: { goal: 'transcode my videos' },
    });
    const message = prompt.messages[0]!.content as { text: string };
    assert.match(message.text, /transcode my videos/);
    assert.match(message.text, /list_devices/);
  });
}
