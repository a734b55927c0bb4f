import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isLinkLocal } from '../../src/worker/tasks/destinationGuard.ts';
import { httpRequestHandler } from '../../src/worker/tasks/httpRequest.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { taskContext } from './taskContext.ts';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Echoes what it received; /big sends 10 kB; /hang never answers. */
async function handle(request: IncomingMessage, response: ServerResponse, onHang: () => void): Promise<void> {
  if (request.url === '/hang') return onHang();
  if (request.url === '/big') {
    response.end('b'.repeat(10_000));
    return;
  }
  const body = await readBody(request);
  response.writeHead(201, { 'content-type': 'application/json', 'x-test': 'yes' });
  response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }));
}

async function startServer(): Promise<{
  url: string;
  hanging(): number;
  [Symbol.asyncDispose](): Promise<void>;
}> {
  let hanging = 0;
  const server: Server = createServer((request, response) => void handle(request, response, () => hanging++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hanging: () => hanging,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface HttpResult {
  status_code: number;
  headers: Record<string, string>;
  body: string;
  truncated?: true;
}

test('http_request returns status, headers and body, sending method, headers and body', async () => {
  await using server = await startServer();
  using task = taskContext({
    url: `${server.url}/things?x=1`,
    method: 'post',
    headers: { 'x-custom': 'abc' },
    body: { n: 1 },
  });
  const outcome = await httpRequestHandler.run(task.context);
  assert.equal(outcome.status, 'success');
  const result = outcome.result_data as HttpResult;
  assert.equal(result.status_code, 201);
  assert.equal(result.headers['x-test'], 'yes');
  const seen = JSON.parse(result.body);
  assert.equal(seen.method, 'POST');
  assert.equal(seen.url, '/things?x=1');
  assert.equal(seen.headers['x-custom'], 'abc');
  assert.equal(seen.headers['content-type'], 'application/json');
  assert.equal(seen.body, '{"n":1}');
});

test('http_request sends a string body as is and defaults to GET', async () => {
  await using server = await startServer();
  using put = taskContext({ url: server.url, method: 'PUT', body: 'plain text' });
  const seenPut = JSON.parse(((await httpRequestHandler.run(put.context)).result_data as HttpResult).body);
  assert.deepEqual([seenPut.method, seenPut.body], ['PUT', 'plain text']);
  using get = taskContext({ url: server.url });
  assert.equal(
    JSON.parse(((await httpRequestHandler.run(get.context)).result_data as HttpResult).body).method,
    'GET',
  );
});

test('http_request caps the body and flags it', async () => {
  await using server = await startServer();
  using task = taskContext({ url: `${server.url}/big` }, { maxOutputBytes: 100 });
  const result = (await httpRequestHandler.run(task.context)).result_data as HttpResult;
  assert.equal(result.body, 'b'.repeat(100));
  assert.equal(result.truncated, true);
});

test('http_request times out after payload.timeout', async () => {
  await using server = await startServer();
  using task = taskContext({ url: `${server.url}/hang`, timeout: 0.2 });
  const outcome = await httpRequestHandler.run(task.context);
  assert.equal(outcome.status, 'timeout');
});

test('http_request is cancelled by the task signal', async () => {
  await using server = await startServer();
  using task = taskContext({ url: `${server.url}/hang` });
  const running = httpRequestHandler.run(task.context);
  await waitFor(() => server.hanging() === 1, 5_000, 'the request to arrive');
  task.controller.abort('cancelled');
  assert.equal((await running).status, 'cancelled');
});

test('http_request refuses other schemes and bad payloads', async () => {
  const cases: [unknown, string][] = [
    [{ url: 'file:///etc/passwd' }, 'payload.url must use http or https, not file:'],
    [{ url: 'ftp://example.com/' }, 'payload.url must use http or https, not ftp:'],
    [{ url: 'not a url' }, 'payload.url is not a valid URL: not a url'],
    [{}, 'payload.url must be a non-empty string'],
    [{ url: 'http://127.0.0.1/', method: 'GE T' }, 'payload.method is not an HTTP method: GE T'],
    [{ url: 'http://127.0.0.1/', body: 'x' }, 'payload.body is not allowed with GET'],
    [{ url: 'http://127.0.0.1/', headers: { a: 1 } }, 'payload.headers.a must be a string'],
  ];
  for (const [payload, message] of cases) {
    using task = taskContext(payload);
    const outcome = await httpRequestHandler.run(task.context);
    assert.equal(outcome.status === 'failed' && outcome.error, message);
  }
});

test('http_request reports a network error clearly', async () => {
  const server = await startServer();
  const url = server.url;
  await server[Symbol.asyncDispose](); // nothing listens on that port any more
  using task = taskContext({ url });
  const outcome = await httpRequestHandler.run(task.context);
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.status === 'failed' ? outcome.error : '',
    /^GET http:\/\/127\.0\.0\.1:\d+\/ failed: .*ECONNREFUSED/,
  );
});

test('http_request refuses link-local and cloud metadata destinations unless allowed', async () => {
  for (const url of [
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://metadata.google.internal/',
  ]) {
    using task = taskContext({ url });
    const outcome = await httpRequestHandler.run(task.context);
    assert.equal(outcome.status, 'failed', url);
    assert.match(
      (outcome as { error: string }).error,
      /refused: .*(link-local|metadata).*--allow-link-local/,
    );
  }
  // A redirect into the link-local range is checked too.
  const server = createServer((req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    using task = taskContext({ url: `http://127.0.0.1:${port}/go` });
    const outcome = await httpRequestHandler.run(task.context);
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { error: string }).error, /169\.254\.169\.254/);
  } finally {
    server.close();
  }
});

test('isLinkLocal knows the ranges', () => {
  assert.equal(isLinkLocal('169.254.1.1'), true);
  assert.equal(isLinkLocal('::ffff:169.254.169.254'), true);
  assert.equal(isLinkLocal('fe80::1'), true);
  assert.equal(isLinkLocal('100.100.100.200'), true);
  assert.equal(isLinkLocal('192.168.1.1'), false);
  assert.equal(isLinkLocal('127.0.0.1'), false);
  assert.equal(isLinkLocal('2001:db8::1'), false);
});
