import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { API_ROUTES } from '../../src/http/apiCatalog.ts';
import { createApp } from '../../src/http/app.ts';
import { openApiDocument } from '../../src/http/openapi.ts';
import type { ClusterMetrics } from '../../src/main/metrics.ts';
import type { ClusterService } from '../../src/main/service.ts';

/** Building the app only wires routes; no handler runs, so the service can be a stand-in. */
function servedRoutes(): string[] {
  const app = createApp({
    service: {} as ClusterService,
    metrics: {} as ClusterMetrics,
    apiToken: () => 'token-for-tests',
    auth: true,
    maxBodyBytes: 1024,
    join: { workerBundle: '/nonexistent/worker.cjs', tcpPort: () => 8080 },
  });
  return app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
}

test('every route the app serves is in the catalog, and every catalogued route is served', () => {
  const served = new Set(servedRoutes());
  const documented = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
  assert.deepEqual(
    [...served].filter((r) => !documented.has(r)),
    [],
    'served but not documented',
  );
  assert.deepEqual(
    [...documented].filter((r) => !served.has(r)),
    [],
    'documented but not served',
  );
});

test('the OpenAPI document is valid OpenAPI 3.1 and every $ref resolves', async () => {
  const document = openApiDocument('9.9.9');
  const result = await new Validator().validate(
    structuredClone(document) as unknown as Record<string, unknown>,
  );
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.match(document.openapi, /^3\.1\./);
  const refs: string[] = [];
  JSON.stringify(document, (key, value: unknown) => {
    if (key === '$ref') refs.push(value as string);
    return value;
  });
  assert.ok(refs.length > 10);
  for (const ref of refs) {
    assert.match(ref, /^#\//);
    let node: any = document;
    for (const part of ref.slice(2).split('/')) node = node?.[part];
    assert.ok(node, `${ref} resolves`);
  }
});

test('request schemas in the document are the ones that validate requests', () => {
  const document = openApiDocument('9.9.9');
  const submit = document.paths['/api/v1/tasks']!.post as any;
  assert.equal(
    submit.requestBody.content['application/json'].schema.$ref,
    '#/components/schemas/TaskSubmission',
  );
  const input = document.components.schemas.TaskInput as any;
  assert.deepEqual(input.required, ['task_type']);
  assert.equal(input.additionalProperties, false);
  assert.equal(input.properties.priority.$ref, '#/components/schemas/Priority');
  const list = document.paths['/api/v1/devices']!.get as any;
  const pageSize = list.parameters.find((p: any) => p.name === 'page_size');
  assert.equal(pageSize.schema.maximum, 100);
  assert.equal(pageSize.in, 'query');
  const status = list.parameters.find((p: any) => p.name === 'status');
  assert.deepEqual(status.schema.enum, ['online', 'disconnected', 'offline', 'draining']);
  const one = document.paths['/api/v1/tasks/{id}']!.get as any;
  assert.deepEqual(one.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  assert.ok(one.responses['404'] && one.responses['401'] && one.responses['429']);
  const health = document.paths['/health']!.get as any;
  assert.deepEqual(health.security, [], '/health needs no token');
  assert.equal(health.responses['401'], undefined);
});
