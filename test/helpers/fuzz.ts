/**
 * Seeded random inputs for fuzz tests: a small PRNG (so a failure names a seed that reproduces it),
 * random JSON, valid protocol envelopes to start from, and mutations of values, text and bytes.
 */

/** mulberry32: tiny, fast, good enough to drive a fuzzer. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** 0 <= n < max */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed of a fuzz run: FUZZ_SEED reproduces one, otherwise a fixed one keeps CI deterministic. */
export function fuzzSeed(fallback: number): number {
  const given = Number(process.env.FUZZ_SEED);
  return Number.isInteger(given) ? given : fallback;
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\n',
  '\r\n',
  '\u0000',
  '\ud800', // a lone surrogate
  '\udfff\ud800',
  '🎉',
  'héllo — 日本',
  '__proto__',
  'constructor',
  'toString',
  '../../etc/passwd',
  '${process.exit()}',
  '<script>alert(1)</script>',
  "'; DROP TABLE tasks; --",
  'null',
  'NaN',
  '-1',
  '1e309',
  'register',
  'heartbeat',
  'task_result',
];

const NASTY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
];

export function randomString(rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
      return rng.pick(NASTY_STRINGS);
    case 1:
      return 'x'.repeat(rng.pick([1, 127, 128, 129, 255, 256, 257, 4096, 70_000]));
    case 2: {
      let s = '';
      const n = rng.int(40);
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x10000));
      return s;
    }
    default: {
      let s = '';
      const n = rng.int(20);
      for (let i = 0; i < n; i++) s += String.fromCharCode(32 + rng.int(95));
      return s;
    }
  }
}

export function randomJson(rng: Rng, depth = 0): unknown {
  const kind = rng.int(depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.pick(NASTY_NUMBERS) : (rng.next() - 0.5) * 10 ** rng.int(12);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      const n = rng.int(5);
      for (let i = 0; i < n; i++)
        out[rng.chance(0.3) ? rng.pick(NASTY_STRINGS) : randomString(rng)] = randomJson(rng, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
  }
}

/** `value` wrapped in `levels` arrays or objects. */
export function nest(value: unknown, levels: number, rng: Rng): unknown {
  let out = value;
  for (let i = 0; i < levels; i++) out = rng.chance(0.5) ? [out] : { n: out };
  return out;
}

/** JSON text of one value nested `levels` deep (built as text: JSON.stringify would overflow). */
export function deepJsonText(levels: number): string {
  return '['.repeat(levels) + '1' + ']'.repeat(levels);
}

const DEEP = '__fuzz_deep__';

/** `message` as JSON text with one random slot replaced by a value nested `levels` deep. */
export function deepenText(rng: Rng, message: unknown, levels: number): string {
  const copy = structuredClone(message) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (;;) {
    const objects = Object.entries(node).filter(
      ([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    if (objects.length === 0 || rng.chance(0.4)) break;
    node = rng.pick(objects)[1] as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  node[keys.length && rng.chance(0.7) ? rng.pick(keys) : 'extra'] = DEEP;
  return JSON.stringify(copy).replace(`"${DEEP}"`, deepJsonText(levels));
}

export function envelope(type: string, data: unknown, senderId = 'fuzz'): Record<string, unknown> {
  return {
    message_type: type,
    sender_id: senderId,
    receiver_id: null,
    message_id: `m-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    data,
  };
}

const METRICS = {
  cpu_percent: 12.5,
  memory_percent: 40,
  memory_available_gb: 1.5,
  storage_free_gb: 10,
  load_avg: [0.1, 0.2, 0.3],
  battery_percent: null,
  battery_charging: null,
  temperature_c: null,
  running_tasks: 0,
};

/** Well-formed messages of the kinds a worker sends, to mutate. */
export function validMessages(deviceId: string, joinSecret: string): Record<string, unknown>[] {
  return [
    envelope(
      'register',
      {
        protocol_version: 1,
        device_id: deviceId,
        auth: { join_token: joinSecret },
        role: 'worker',
        platform: 'linux',
        arch: 'x64',
        hostname: 'fuzz-host',
        cpu_count: 2,
        memory_total_gb: 4,
        tags: ['fuzz'],
        capabilities: { gpu: false },
        task_types: ['fuzz-only'],
        max_concurrent_tasks: 1,
        running_tasks: [{ task_id: 'no-such-task', attempt: 1 }],
        metrics: METRICS,
      },
      deviceId,
    ),
    envelope('heartbeat', { metrics: METRICS, running_tasks: ['no-such-task'] }, deviceId),
    envelope(
      'task_result',
      {
        task_id: 'no-such-task',
        attempt: 1,
        status: 'success',
        result_data: { echo: { i: 1 } },
        started_at: new Date().toISOString(),
        completed_at: new Date().toISOString(),
        duration_ms: 3,
      },
      deviceId,
    ),
    envelope(
      'task_status',
      { task_id: 'no-such-task', attempt: 1, status: 'running', progress: 50 },
      deviceId,
    ),
    envelope('ack', { original_message_id: 'nothing' }, deviceId),
    envelope('error', { original_message_id: 'nothing', code: 'REJECTED', error: 'no slot' }, deviceId),
  ];
}

const MESSAGE_TYPES = [
  'register',
  'heartbeat',
  'status',
  'list_devices',
  'device_info',
  'task_assign',
  'task_status',
  'task_result',
  'task_cancel',
  'task_request',
  'task_submit',
  'ack',
  'error',
];

/** A deep copy with one to three random changes somewhere in the tree. */
export function mutateValue(rng: Rng, value: unknown): unknown {
  let out = structuredClone(value);
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) out = mutateOnce(rng, out);
  return out;
}

function mutateOnce(rng: Rng, root: unknown): unknown {
  // Walk down to a random container, then change one of its slots.
  let node = root;
  for (let steps = rng.int(4); steps > 0; steps--) {
    const children = containerChildren(node);
    const next = children.length ? rng.pick(children) : undefined;
    if (next === undefined || typeof next !== 'object' || next === null) break;
    node = next;
  }
  if (typeof node !== 'object' || node === null) return randomJson(rng);
  const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node);
  const target = node as Record<string, unknown>;
  const key = keys.length && rng.chance(0.85) ? rng.pick(keys) : randomString(rng);
  switch (rng.int(10)) {
    case 0:
      delete target[key];
      break;
    case 1:
      target[key] = randomJson(rng);
      break;
    case 2:
      target[key] = rng.pick(NASTY_NUMBERS);
      break;
    case 3:
      target[key] = randomString(rng);
      break;
    case 4:
      target[key] = [target[key]];
      break;
    case 5:
      // Deeper than ~4000 levels JSON.stringify itself overflows: see deepenText for those.
      target[key] = nest(target[key] ?? null, rng.pick([50, 999, 1200]), rng);
      break;
    case 6:
      target[key] = rng.pick(MESSAGE_TYPES);
      break;
    case 7:
      target[key] = rng.pick([null, true, false, {}, [], '']);
      break;
    case 8:
      // An own "__proto__" key, as JSON.parse makes one: it must stay data, never a prototype.
      Object.defineProperty(target, '__proto__', {
        value: { polluted: true },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    default:
      target[key] = randomJson(rng);
  }
  return root;
}

function containerChildren(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (typeof node === 'object' && node !== null) return Object.values(node);
  return [];
}

/** Byte-level damage: flips, inserts, cuts, stray newlines, invalid UTF-8. */
export function mutateBytes(rng: Rng, input: Buffer): Buffer {
  let out = Buffer.from(input);
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = out.length ? rng.int(out.length) : 0;
    switch (rng.int(7)) {
      case 0:
        if (out.length) out[at] = rng.int(256);
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), rng.bytes(1 + rng.int(8)), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rng.int(16))]);
        break;
      case 3:
        out = out.subarray(0, at);
        break;
      case 4:
        out = Buffer.concat([
          out.subarray(0, at),
          Buffer.from(rng.pick(['\n', '\r', '\r\n', '\n\n'])),
          out.subarray(at),
        ]);
        break;
      case 5:
        out = Buffer.concat([
          out.subarray(0, at),
          Buffer.from([rng.pick([0xc0, 0xff, 0xed, 0xf4, 0x80])]),
          out.subarray(at),
        ]);
        break;
      default:
        out = Buffer.concat([out.subarray(0, at), out.subarray(rng.int(Math.max(1, out.length)))]);
    }
  }
  return out;
}
