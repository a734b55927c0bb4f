import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMcpServer } from '../../src/mcp/server.ts';
import { McpSessions } from '../../src/mcp/sessions.ts';

/** Sessions never reach the cluster in these tests. */
const unusedClient = {
  request: () => Promise.reject(new Error('not called')),
};

function post(body: unknown, sessionId?: string): Request {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (sessionId) headers['mcp-session-id'] = sessionId;
  return new Request('http://localhost/mcp', { method: 'POST', headers, body: JSON.stringify(body) });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

async function open(sessions: McpSessions): Promise<string> {
  const response = await sessions.handle(post(initialize));
  assert.equal(response.status, 200);
  await response.body?.cancel();
  return response.headers.get('mcp-session-id')!;
}

test('sessions are bounded: least recently used and idle ones are closed first', async () => {
  let now = 0;
  const sessions = new McpSessions(() => createMcpServer(unusedClient), {
    maxSessions: 2,
    idleMs: 1000,
    now: () => now,
  });
  const first = await open(sessions);
  now = 10;
  const second = await open(sessions);
  now = 20;
  // Using the first makes the second the least recently used.
  const ping = await sessions.handle(post({ jsonrpc: '2.0', id: 2, method: 'ping' }, first));
  assert.equal(ping.status, 200);
  await ping.body?.cancel();
  const third = await open(sessions);
  assert.equal(sessions.size, 2);
  assert.equal((await sessions.handle(post({ jsonrpc: '2.0', id: 3, method: 'ping' }, second))).status, 404);

  now = 5000;
  await open(sessions);
  assert.equal(sessions.size, 1, `${first} and ${third} were idle`);
});

test('only initialize opens a session; DELETE ends one', async () => {
  const sessions = new McpSessions(() => createMcpServer(unusedClient));
  const refused = await sessions.handle(post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
  assert.equal(refused.status, 400);
  assert.equal(sessions.size, 0);

  const id = await open(sessions);
  assert.equal(sessions.size, 1);
  const deleted = await sessions.handle(
    new Request('http://localhost/mcp', { method: 'DELETE', headers: { 'mcp-session-id': id } }),
  );
  assert.equal(deleted.status, 200);
  assert.equal(sessions.size, 0);
});
