/**
 * The main node's configuration, compiled once into a validated object.
 * Precedence: CLI flag > RC_* environment variable > JSON config file > default.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_HTTP_PORT, DEFAULT_MAX_FRAME_BYTES, DEFAULT_TCP_PORT } from '../protocol/version.ts';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();
const bool = z.preprocess((v) => (typeof v === 'string' ? !/^(0|false|no|off)$/i.test(v) : v), z.boolean());

export const mainConfigSchema = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  port: port.default(DEFAULT_TCP_PORT),
  http_port: port.default(DEFAULT_HTTP_PORT),
  data_dir: z.string().min(1).default(join(homedir(), '.retire-cluster')),
  local_worker: bool.default(false),
  heartbeat_interval: seconds.default(60),
  heartbeat_timeout: seconds.default(300),
  reconnect_grace: seconds.default(15),
  join_token: z.string().min(8).optional(),
  api_token: z.string().min(8).optional(),
  auth: bool.default(true),
  legacy_protocol: bool.default(false),
  debug: bool.default(false),
  max_frame_bytes: z.coerce.number().int().min(1024).default(DEFAULT_MAX_FRAME_BYTES),
  /** First retry delay; later ones double (exponential backoff). */
  retry_base_delay_ms: z.coerce.number().int().min(0).default(1000),
  retry_max_delay_ms: z.coerce.number().int().min(0).default(60_000),
  /** TLS on the workers' port (a self-signed certificate in the data dir unless tls_cert/tls_key). */
  tls: bool.default(true),
  tls_cert: z.string().min(1).optional(),
  tls_key: z.string().min(1).optional(),
  /** Bytes of one task's payload (as JSON). */
  max_payload_bytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Unfinished tasks the queue holds; submissions past it get QUEUE_FULL (503). */
  max_queued_tasks: z.coerce.number().int().min(1).default(1_000_000),
  /** Finished tasks kept in memory besides the unfinished ones; older ones are read from the store. */
  finished_tasks_in_memory: z.coerce.number().int().min(0).default(10_000),
  /** Bytes of one task's result data as stored; a larger one is replaced by an error note. */
  max_result_bytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /** Open connections on the workers' port from one address; 0 = no limit. */
  max_connections_per_ip: z.coerce.number().int().min(0).default(1024),
  /** Registrations per address per minute on the workers' port; 0 = no limit. */
  max_registrations_per_minute: z.coerce.number().int().min(0).default(600),
  /** Send Wake-on-LAN packets to sleeping devices (with a MAC) when queued work fits only them. */
  wake_on_lan: bool.default(false),
  /** Where magic packets go: broadcast address and port. */
  wake_on_lan_address: z.string().min(1).default('255.255.255.255:9'),
  /** Seconds between two packets to the same device. */
  wake_on_lan_interval: seconds.default(300),
  /** Seconds a connection on the workers' port may stay without registering or authenticating. */
  auth_timeout: seconds.default(10),
  /** Serve the HTTP API over HTTPS with the same certificate. */
  https: bool.default(false),
  max_body_bytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** The one browser origin allowed to call the API (CORS); unset means none. */
  cors_origin: z
    .string()
    .transform((value, ctx) => {
      const origin = webOrigin(value);
      if (origin === null) {
        ctx.addIssue({ code: 'custom', message: 'must be one origin such as https://dash.example:8443' });
        return z.NEVER;
      }
      return origin;
    })
    .optional(),
  /** Battery percentage below which a device on battery gets no new tasks (a device's own value wins). */
  min_battery: z.coerce.number().min(0).max(100).default(30),
  /** °C above which a device runs fewer tasks, and 5 °C above, none (a device's own value wins). */
  max_temp: z.coerce.number().min(-40).max(150).default(45),
  /** Requests per minute for each API key (or client address without one); 0 turns the limit off. */
  rate_limit_per_minute: z.coerce.number().int().min(0).default(600),
});

export type MainConfig = z.output<typeof mainConfigSchema>;
export type MainConfigInput = z.input<typeof mainConfigSchema>;
export type MainConfigKey = keyof MainConfig;

export const MAIN_CONFIG_KEYS = Object.keys(mainConfigSchema.shape) as MainConfigKey[];

export function envName(key: string): string {
  return 'RC_' + key.toUpperCase();
}

/** Values from RC_* variables; RC_NO_AUTH=1 is accepted as the spelling of auth=false. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<Record<MainConfigKey, unknown>> {
  const out: Partial<Record<MainConfigKey, unknown>> = {};
  for (const key of MAIN_CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') out[key] = value;
  }
  if (env.RC_NO_AUTH && !/^(0|false|no|off)$/i.test(env.RC_NO_AUTH)) out.auth = false;
  return out;
}

export function configFromFile(path: string): Partial<Record<MainConfigKey, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed as Partial<Record<MainConfigKey, unknown>>;
  } catch (error) {
    throw new Error(`config file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function resolveMainConfig(sources: {
  flags?: Partial<Record<MainConfigKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  configFile?: string;
}): MainConfig {
  const fromFile = sources.configFile ? configFromFile(sources.configFile) : {};
  const merged = { ...fromFile, ...configFromEnv(sources.env ?? {}), ...definedOnly(sources.flags ?? {}) };
  const parsed = mainConfigSchema.strict().safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return { ...parsed.data, data_dir: resolve(parsed.data.data_dir) };
}

/** `scheme://host[:port]` of an http(s) URL, or null: a wildcard or a list would defeat the point. */
function webOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
