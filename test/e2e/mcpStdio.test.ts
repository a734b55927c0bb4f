import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { checkMcpClient } from '../helpers/mcp.ts';
import { CLI, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('retire-cluster mcp serves the cluster over stdio to the SDK client', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--url', main.url, '--token', main.apiToken],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'retire-cluster-test', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid!;
  t.after(() => client.close());

  assert.equal(client.getServerVersion()?.name, 'retire-cluster');
  assert.match(client.getInstructions() ?? '', /run_command/);
  await checkMcpClient(t, client, main, 'w1');

  await t.test('a wrong token comes back as a tool error, not a dead server', async () => {
    const bad = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--url', main.url, '--token', 'wrong'],
      stderr: 'pipe',
    });
    const other = new Client({ name: 'retire-cluster-test', version: '1.0.0' });
    await other.connect(bad);
    try {
      const result = (await other.callTool({ name: 'cluster_status', arguments: {} })) as any;
      assert.equal(result.isError, true);
      assert.match(result.content[0].text, /^INVALID_API_KEY: /);
    } finally {
      await other.close();
    }
  });

  await t.test('the server exits when the client closes stdin, having written nothing else', async () => {
    await client.close();
    await waitFor(() => !isAlive(pid), 10_000, 'the mcp process to exit');
    assert.equal(stderr, '');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
