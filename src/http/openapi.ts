/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route catalog and from the zod
 * schemas that validate requests (zod's own `toJSONSchema`, whose JSON Schema 2020-12 is what
 * OpenAPI 3.1 speaks), so the document cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { prioritySchema, requirementsSchema, taskInputSchema } from '../main/schemas.ts';
import { commandBodySchema, suggestBodySchema } from '../terminal/requestSchemas.ts';
import { API_ROUTES, type RouteDoc } from './apiCatalog.ts';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  security: Json[];
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    responses: Record<string, Json>;
    securitySchemes: Record<string, Json>;
  };
}

const SCHEMA_REF = '#/components/schemas/';

const successEnvelopeSchema = z.object({
  status: z.literal('success'),
  timestamp: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()).describe("what the route answers: see the route's description"),
  request_id: z.string(),
});

const errorEnvelopeSchema = z.object({
  status: z.literal('error'),
  message: z.string().describe('what went wrong, for a person'),
  error_code: z.string().describe('wire-stable, e.g. VALIDATION_ERROR, TASK_NOT_FOUND'),
  error_details: z.unknown().optional(),
  request_id: z.string().describe('quote it when reporting a problem: the logs carry it'),
});

/** Named schemas, in `components.schemas`; a schema nested in another one becomes a `$ref`. */
function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  registry.add(prioritySchema, { id: 'Priority' });
  registry.add(requirementsSchema, { id: 'TaskRequirements' });
  registry.add(taskInputSchema, { id: 'TaskInput' });
  registry.add(z.union([taskInputSchema, z.array(taskInputSchema)]), { id: 'TaskSubmission' });
  registry.add(commandBodySchema, { id: 'TerminalCommand' });
  registry.add(suggestBodySchema, { id: 'TerminalSuggest' });
  registry.add(successEnvelopeSchema, { id: 'SuccessEnvelope' });
  registry.add(errorEnvelopeSchema, { id: 'ErrorEnvelope' });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => SCHEMA_REF + id,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Invalid input: `VALIDATION_ERROR`, naming each bad field' },
  401: { name: 'Unauthorized', description: '`MISSING_API_KEY` or `INVALID_API_KEY`' },
  404: {
    name: 'NotFound',
    description: '`TASK_NOT_FOUND`, `DEVICE_NOT_FOUND`, `NO_TASK_RESULT` or `NOT_FOUND` (no such route)',
  },
  405: {
    name: 'MethodNotAllowed',
    description: '`METHOD_NOT_ALLOWED`; the `Allow` header lists the methods',
  },
  409: { name: 'Conflict', description: '`INVALID_STATE`: not possible in the current state' },
  413: { name: 'PayloadTooLarge', description: '`PAYLOAD_TOO_LARGE`: the body exceeds the limit' },
  429: { name: 'RateLimited', description: '`RATE_LIMIT_EXCEEDED`; `Retry-After` says when to try again' },
  503: { name: 'Unavailable', description: 'Degraded: see `error_details`' },
};

function componentResponses(): Record<string, Json> {
  const envelope = { 'application/json': { schema: { $ref: `${SCHEMA_REF}ErrorEnvelope` } } };
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description }]) => {
      const response: Json = { description, content: envelope };
      if (status === '429' || status === '503') {
        response.headers = {
          'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
        };
      }
      return [name, response];
    }),
  );
}

const TAGS: Record<RouteDoc['tag'], string> = {
  Meta: 'The API itself',
  Cluster: 'The cluster as a whole',
  Devices: 'Devices that joined',
  Tasks: 'Submitting and following work',
  Events: 'Live events',
  Text: 'Plain text for people and scripts',
  Monitoring: 'For Prometheus',
  Dashboard: 'The web dashboard and its terminal',
};

export function errorStatuses(route: RouteDoc): number[] {
  const statuses = new Set(route.errors ?? []);
  if (route.auth !== false) statuses.add(401);
  if (route.path !== '/health') statuses.add(429);
  if (route.query || route.body) statuses.add(400);
  if (route.path.includes('{')) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

function parameters(route: RouteDoc): Json[] {
  const params: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as Json;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties as Record<string, Json>) ?? {})) {
      const { description, ...rest } = property;
      const param: Json = { name, in: 'query', required: required.has(name), schema: rest };
      if (description) param.description = description;
      params.push(param);
    }
  }
  return params;
}

function successResponse(route: RouteDoc): Json {
  const { description, media } = route.success;
  if (!media) {
    return {
      description,
      content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}SuccessEnvelope` } } },
    };
  }
  const schema = media.includes('application/json') ? { type: 'object' } : { type: 'string' };
  return { description, content: Object.fromEntries(media.map((type) => [type, { schema }])) };
}

function operation(route: RouteDoc): Json {
  const responses: Json = { [String(route.success.status)]: successResponse(route) };
  if (route.method === 'post' && route.path === '/api/v1/tasks') {
    responses['200'] = {
      description: 'the `idempotency_key` was seen before: the existing task, `created: false`',
      content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}SuccessEnvelope` } } },
    };
  }
  for (const status of errorStatuses(route)) {
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` };
  }
  const op: Json = {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    parameters: parameters(route),
    responses,
  };
  if (route.description) op.description = route.description;
  if (route.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: { $ref: SCHEMA_REF + route.body } } },
    };
  }
  if (route.auth === false) op.security = [];
  return op;
}

/** `get /api/v1/tasks/{id}/status` -> `getApiV1TasksIdStatus`. */
function operationId(route: RouteDoc): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

const cache = new Map<string, OpenApiDocument>();

export function openApiDocument(version: string): OpenApiDocument {
  const cached = cache.get(version);
  if (cached) return cached;
  const paths: OpenApiDocument['paths'] = {};
  for (const route of API_ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Retire-Cluster API',
      version,
      description:
        'Drive a Retire-Cluster main node: devices, tasks, events. Answers are JSON envelopes: `{status: "success", timestamp, data, request_id}` or `{status: "error", message, error_code, error_details?, request_id}`. Send the API token as `Authorization: Bearer <token>` or `X-API-Key: <token>`.',
    },
    servers: [{ url: '/' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }, { apiKey: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: componentResponses(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'the API token' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'the API token' },
      },
    },
  };
  cache.set(version, document);
  return document;
}
