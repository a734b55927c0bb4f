/**
 * Property/fuzz tests of everything that reads bytes from the network before a session sees them:
 * the NDJSON frame decoder, envelope validation and the zod schemas of the worker messages.
 * Thousands of random and mutated inputs; the seed is fixed (FUZZ_SEED=n explores others) and every
 * failure message names the case so it can be replayed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeIssues,
  heartbeatDataSchema,
  registerDataSchema,
  taskInputSchema,
  taskProgressDataSchema,
  taskResultDataSchema,
} from '../../src/main/schemas.ts';
import { createError } from '../../src/protocol/envelope.ts';
import { ErrorCode } from '../../src/protocol/errorCodes.ts';
import { encodeFrame, FrameDecoder, type FrameEvent } from '../../src/protocol/framer.ts';
import { isMessageType } from '../../src/protocol/messageTypes.ts';
import { parseMessage } from '../../src/protocol/parse.ts';
import { MAX_JSON_DEPTH } from '../../src/protocol/version.ts';
import {
  deepenText,
  deepJsonText,
  fuzzSeed,
  mutateBytes,
  mutateValue,
  randomJson,
  randomString,
  Rng,
  validMessages,
} from '../helpers/fuzz.ts';

const SEED = fuzzSeed(0x5eed);

/** What the decoder must produce for a whole stream, whatever the chunking (a reference model). */
function expectedEvents(stream: Buffer, max: number): FrameEvent[] {
  const events: FrameEvent[] = [];
  let start = 0;
  for (;;) {
    const nl = stream.indexOf(0x0a, start);
    const end = nl === -1 ? stream.length : nl;
    if (end - start > max) {
      events.push({ kind: 'too_large', bytes: end - start });
      return events;
    }
    if (nl === -1) return events;
    let lineEnd = nl;
    if (lineEnd > start && stream[lineEnd - 1] === 0x0d) lineEnd--;
    const line = stream.toString('utf8', start, lineEnd).trim();
    if (line.length > 0) events.push({ kind: 'frame', line });
    start = nl + 1;
  }
}

/** A stream mixing good frames, damaged frames, random bytes and blank lines. */
function randomStream(rng: Rng, samples: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) {
    switch (rng.int(6)) {
      case 0:
        parts.push(rng.pick(samples));
        break;
      case 1:
      case 2:
        parts.push(mutateBytes(rng, rng.pick(samples)));
        break;
      case 3:
        parts.push(rng.bytes(rng.int(300)));
        break;
      case 4:
        parts.push(Buffer.from(rng.pick(['\n', '\r\n', '   \n', '\n\n\n', '{}\n', '[]\n', 'null\n'])));
        break;
      default:
        parts.push(Buffer.from(JSON.stringify(randomJson(rng)) + '\n'));
    }
  }
  return Buffer.concat(parts);
}

test('FrameDecoder: thousands of random streams, randomly chunked, decode as the reference model says', () => {
  const rng = new Rng(SEED);
  const samples = validMessages('fuzz-dev', 'secret').map((m) => Buffer.from(encodeFrame(m)));
  let frames = 0;
  let tooLarge = 0;
  for (let iteration = 0; iteration < 3000; iteration++) {
    const max = rng.pick([16, 64, 300, 1024, 64 * 1024]);
    const stream = randomStream(rng, samples);
    const expected = expectedEvents(stream, max);
    const decoder = new FrameDecoder(max);
    const seen: FrameEvent[] = [];
    for (let offset = 0; offset < stream.length;) {
      const size = rng.chance(0.2) ? 1 : 1 + rng.int(200);
      seen.push(...decoder.push(stream.subarray(offset, offset + size)));
      // Never holds more than the limit of an unterminated line.
      assert.ok(decoder.pendingBytes <= max, `seed ${SEED} iteration ${iteration}: buffered past the limit`);
      offset += size;
    }
    const where = `seed ${SEED} iteration ${iteration} (max ${max}, ${stream.length} bytes)`;
    assert.deepEqual(
      seen.map((e) => e.kind),
      expected.map((e) => e.kind),
      where,
    );
    seen.forEach((event, i) => {
      const want = expected[i]!;
      if (event.kind === 'frame') assert.equal(event.line, (want as { line: string }).line, where);
      // Chunked, the decoder may give up before the newline arrives: it reports what it saw.
      else assert.ok(event.bytes > max, where);
    });
    // After too_large the decoder is done: more bytes produce nothing.
    if (seen.at(-1)?.kind === 'too_large') assert.deepEqual(decoder.push(Buffer.from('{}\n')), [], where);
    frames += seen.filter((e) => e.kind === 'frame').length;
    tooLarge += seen.filter((e) => e.kind === 'too_large').length;
  }
  // The generator really exercised both outcomes.
  assert.ok(frames > 3000, `only ${frames} frames`);
  assert.ok(tooLarge > 300, `only ${tooLarge} too_large`);
});

/** Every way a parse may end: a valid envelope, or BAD_MESSAGE with a message and a usable reference. */
function checkParse(line: string, where: string): boolean {
  const parsed = parseMessage(line);
  if (parsed.ok) {
    const m = parsed.message;
    assert.ok(isMessageType(m.message_type), where);
    for (const id of [m.sender_id, m.message_id]) {
      assert.equal(typeof id, 'string', where);
      assert.ok(id.length > 0 && id.length <= 256, where);
    }
    assert.ok(m.receiver_id === null || typeof m.receiver_id === 'string', where);
    assert.equal(typeof m.timestamp, 'string', where);
    assert.ok(typeof m.data === 'object' && m.data !== null && !Array.isArray(m.data), where);
    return true;
  }
  assert.equal(parsed.code, ErrorCode.BadMessage, where);
  assert.equal(typeof parsed.error, 'string', where);
  assert.ok(parsed.error.length > 0, where);
  if (parsed.original !== null) {
    assert.equal(typeof parsed.original.message_id, 'string', where);
    assert.equal(typeof parsed.original.sender_id, 'string', where);
  }
  // The reply the main node would send must itself encode.
  const reply = encodeFrame(createError('main', parsed.original, parsed.code, parsed.error));
  assert.ok(reply.endsWith('\n') && !reply.slice(0, -1).includes('\n'), where);
  return false;
}

const SCHEMAS = {
  register: registerDataSchema,
  heartbeat: heartbeatDataSchema,
  task_result: taskResultDataSchema,
  task_status: taskProgressDataSchema,
  task_submit: taskInputSchema,
} as const;

/** The session validates `data` with zod: never a throw, and a failure reads "field: problem". */
function checkData(type: string, data: unknown, where: string): boolean {
  const schema = SCHEMAS[type as keyof typeof SCHEMAS];
  if (!schema) return false;
  const result = schema.safeParse(data);
  if (!result.success) {
    const text = describeIssues(result.error);
    assert.ok(text.length > 0 && text.includes(':'), `${where}: ${text}`);
    JSON.stringify(result.error.issues); // the details travel in the error reply
  }
  return result.success;
}

test('parseMessage and the message schemas: thousands of random and mutated inputs, never a throw', () => {
  const rng = new Rng(SEED + 1);
  const bases = validMessages('fuzz-dev', 'secret');
  const outcomes = { ok: 0, bad: 0, dataOk: 0, dataBad: 0 };
  for (let iteration = 0; iteration < 10_000; iteration++) {
    const where = `seed ${SEED + 1} iteration ${iteration}`;
    let line: string;
    switch (iteration % 5) {
      case 0:
        line = JSON.stringify(mutateValue(rng, rng.pick(bases)));
        break;
      case 4: {
        // A sound envelope around damaged data: this is what reaches the session's schemas.
        const base = rng.pick(bases);
        line = JSON.stringify({ ...base, data: mutateValue(rng, base.data) });
        break;
      }
      case 1:
        line = mutateBytes(rng, Buffer.from(JSON.stringify(rng.pick(bases)))).toString('utf8');
        break;
      case 2:
        line = JSON.stringify(randomJson(rng));
        break;
      case 3:
        line = rng.chance(0.5) ? randomString(rng) : rng.bytes(rng.int(200)).toString('utf8');
        break;
      default:
        throw new Error('unreachable');
    }
    const ok = checkParse(line, where);
    outcomes[ok ? 'ok' : 'bad']++;
    if (ok) {
      const message = (parseMessage(line) as { ok: true; message: { message_type: string; data: unknown } })
        .message;
      const valid = checkData(message.message_type, message.data, where);
      if (SCHEMAS[message.message_type as keyof typeof SCHEMAS]) outcomes[valid ? 'dataOk' : 'dataBad']++;
    }
    // Nothing a message says may reach Object.prototype.
    assert.equal(({} as Record<string, unknown>).polluted, undefined, where);
  }
  // Both sides of every check were exercised.
  assert.ok(outcomes.ok > 500 && outcomes.bad > 500, JSON.stringify(outcomes));
  assert.ok(outcomes.dataOk > 100 && outcomes.dataBad > 100, JSON.stringify(outcomes));
});

test('nesting: up to the limit is a message, past it a clear BAD_MESSAGE, and deep input never overflows', () => {
  const rng = new Rng(SEED + 2);
  const withData = (data: string) =>
    `{"message_type":"heartbeat","sender_id":"s","message_id":"deep","data":${data}}`;
  // The envelope is level 1 and data level 2: x may nest MAX_JSON_DEPTH - 2 levels.
  const atLimit = parseMessage(withData(`{"x":${deepJsonText(MAX_JSON_DEPTH - 2)}}`));
  assert.equal(atLimit.ok, true);
  for (const levels of [MAX_JSON_DEPTH - 1, 5000, 200_000]) {
    const deep = parseMessage(withData(`{"x":${deepJsonText(levels)}}`));
    assert.equal(deep.ok, false, `${levels} levels`);
    if (!deep.ok) {
      assert.equal(deep.code, ErrorCode.BadMessage);
      assert.match(deep.error, new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
      assert.equal(deep.original?.message_id, 'deep', 'the error still names the message');
    }
  }
  // Deep values anywhere in real messages, and raw unbalanced brackets: a clear error, never a throw.
  const bases = validMessages('fuzz-dev', 'secret');
  for (let i = 0; i < 200; i++) {
    const line = deepenText(rng, rng.pick(bases), rng.pick([MAX_JSON_DEPTH, 6000, 100_000]));
    const parsed = parseMessage(line);
    assert.equal(parsed.ok, false, `case ${i}`);
  }
  for (const text of ['['.repeat(100_000), '{"a":'.repeat(50_000), ']'.repeat(1000)]) {
    assert.equal(parseMessage(text).ok, false);
  }
});
