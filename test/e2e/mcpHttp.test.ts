import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { checkMcpClient } from '../helpers/mcp.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

function connect(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'retire-cluster-test', version: '1.0.0' });
  return client.connect(transport).then(() => client);
}

test('the main node serves MCP over Streamable HTTP at /mcp', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const url = `${main.url}/mcp`;

  await t.test('401 without the API token or with a wrong one', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(INITIALIZE),
      });
    const missing = await post({});
    assert.equal(missing.status, 401);
    const missingBody = (await missing.json()) as any;
    assert.equal(missingBody.status, 'error');
    assert.equal(missingBody.error_code, 'MISSING_API_KEY');

    const wrong = await post({ authorization: 'Bearer wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as any).error_code, 'INVALID_API_KEY');

    await assert.rejects(connect(url, 'wrong'), /401|Unauthorized|INVALID_API_KEY/);
  });

  await t.test('an unknown session is 404, so the client starts a new one', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${main.apiToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'no-such-session',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(response.status, 404);
  });

  const client = await connect(url, main.apiToken);
  t.after(() => client.close());
  assert.equal(client.getServerVersion()?.name, 'retire-cluster');
  await checkMcpClient(t, client, main, 'w1');
});
