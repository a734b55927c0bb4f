import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameDecoder, encodeFrame, type FrameEvent } from '../../src/protocol/framer.ts';
import { DEFAULT_MAX_FRAME_BYTES } from '../../src/protocol/version.ts';

const frames = (events: FrameEvent[]): string[] =>
  events.map((e) => {
    assert.equal(e.kind, 'frame');
    return e.kind === 'frame' ? e.line : '';
  });

// Multi-byte characters of every UTF-8 length: 2 (é), 3 (—, 日), 4 (🎉).
const SAMPLE = {
  message_type: 'heartbeat',
  sender_id: 'pixel-3a',
  receiver_id: null,
  message_id: 'm-1',
  timestamp: '2026-11-24T10:00:00.000Z',
  data: { note: 'héllo — 日本 🎉', lines: 'a\nb\r\nc' },
};

test('the default limit is 16 MiB', () => {
  assert.equal(new FrameDecoder().maxFrameBytes, DEFAULT_MAX_FRAME_BYTES);
  assert.equal(DEFAULT_MAX_FRAME_BYTES, 16 * 1024 * 1024);
});

test('a message split at every byte offset decodes to the same line, and only once complete', () => {
  const bytes = Buffer.from(encodeFrame(SAMPLE));
  const line = bytes.toString('utf8', 0, bytes.length - 1);
  // The sample really has multi-byte characters, so some offsets fall inside one.
  assert.ok(bytes.length > line.length + 5);
  for (let k = 0; k <= bytes.length; k++) {
    const decoder = new FrameDecoder();
    const first = decoder.push(bytes.subarray(0, k));
    if (k < bytes.length) {
      assert.deepEqual(first, [], `offset ${k}: nothing before the newline`);
      assert.equal(decoder.pendingBytes, k, `offset ${k}: pending bytes`);
    }
    const second = decoder.push(bytes.subarray(k));
    const all = frames([...first, ...second]);
    assert.deepEqual(all, [line], `offset ${k}`);
    assert.deepEqual(JSON.parse(all[0]!), SAMPLE);
    assert.equal(decoder.pendingBytes, 0);
  }
});

test('a message fed one byte at a time decodes once, at the newline', () => {
  const bytes = Buffer.from(encodeFrame(SAMPLE));
  const decoder = new FrameDecoder();
  const events: FrameEvent[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const out = decoder.push(bytes.subarray(i, i + 1));
    if (i < bytes.length - 1) assert.deepEqual(out, []);
    events.push(...out);
  }
  assert.equal(events.length, 1);
  assert.deepEqual(JSON.parse(frames(events)[0]!), SAMPLE);
});

test('several messages in one chunk come out in order, and a trailing partial one waits', () => {
  const decoder = new FrameDecoder();
  const chunk = Buffer.from('{"n":1}\n{"n":2}\n{"n":3}\n{"n":');
  assert.deepEqual(frames(decoder.push(chunk)), ['{"n":1}', '{"n":2}', '{"n":3}']);
  assert.equal(decoder.pendingText(), '{"n":');
  assert.deepEqual(frames(decoder.push(Buffer.from('4}\n{"n":5}\n'))), ['{"n":4}', '{"n":5}']);
});

test('many messages split at random points decode to exactly the messages sent', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const messages = Array.from({ length: 200 }, (_, i) => ({ i, text: 'ü€😀'.repeat(rand(5)) }));
  const bytes = Buffer.from(messages.map(encodeFrame).join(''));
  const decoder = new FrameDecoder();
  const lines: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + rand(40);
    lines.push(...frames(decoder.push(bytes.subarray(at, at + size))));
    at += size;
  }
  assert.deepEqual(
    lines.map((l) => JSON.parse(l)),
    messages,
  );
});

test('\\r\\n line endings are accepted and the \\r is not part of the line', () => {
  const decoder = new FrameDecoder();
  assert.deepEqual(frames(decoder.push(Buffer.from('{"a":1}\r\n{"b":2}\r'))), ['{"a":1}']);
  // The \r arrives in one chunk and the \n in the next.
  assert.deepEqual(frames(decoder.push(Buffer.from('\n'))), ['{"b":2}']);
});

test('empty and blank lines are skipped', () => {
  const decoder = new FrameDecoder();
  const out = decoder.push(Buffer.from('\n\r\n   \n{"a":1}\n\n\t\r\n{"b":2}\n'));
  assert.deepEqual(frames(out), ['{"a":1}', '{"b":2}']);
});

test('a line exactly at the limit is a frame; one byte over is too_large', () => {
  const atLimit = new FrameDecoder(16);
  assert.deepEqual(atLimit.push(Buffer.from('x'.repeat(16) + '\n')), [
    { kind: 'frame', line: 'x'.repeat(16) },
  ]);

  const over = new FrameDecoder(16);
  assert.deepEqual(over.push(Buffer.from('x'.repeat(17) + '\n')), [{ kind: 'too_large', bytes: 17 }]);
});

test('the limit counts bytes, not characters', () => {
  // 'é' is two bytes in UTF-8.
  assert.deepEqual(frames(new FrameDecoder(16).push(Buffer.from('é'.repeat(8) + '\n'))), ['é'.repeat(8)]);
  assert.deepEqual(new FrameDecoder(16).push(Buffer.from('é'.repeat(9) + '\n')), [
    { kind: 'too_large', bytes: 18 },
  ]);
});

test('a line that grows over the limit across chunks is too_large', () => {
  const decoder = new FrameDecoder(16);
  assert.deepEqual(decoder.push(Buffer.from('x'.repeat(10))), []);
  assert.deepEqual(decoder.push(Buffer.from('x'.repeat(7) + '\n')), [{ kind: 'too_large', bytes: 17 }]);
});

test('too_large is reported once; after it the decoder ignores everything', () => {
  const decoder = new FrameDecoder(16);
  const out = decoder.push(Buffer.from('{"ok":1}\n' + 'y'.repeat(20) + '\n{"late":1}\n'));
  // Frames before the oversized line are delivered; nothing after it.
  assert.deepEqual(out, [
    { kind: 'frame', line: '{"ok":1}' },
    { kind: 'too_large', bytes: 20 },
  ]);
  assert.equal(decoder.pendingBytes, 0);
  assert.deepEqual(decoder.push(Buffer.from('{"a":1}\n')), []);
  assert.deepEqual(decoder.push(Buffer.from('z'.repeat(100))), []);
  assert.deepEqual(decoder.push(Buffer.from('\n')), []);
  assert.equal(decoder.pendingBytes, 0);
  assert.equal(decoder.pendingText(), '');
});

test('an unterminated tail is buffered up to the limit and reported as soon as it passes it', () => {
  const decoder = new FrameDecoder(16);
  assert.deepEqual(decoder.push(Buffer.from('x'.repeat(16))), []);
  assert.equal(decoder.pendingBytes, 16);
  assert.deepEqual(decoder.push(Buffer.from('x')), [{ kind: 'too_large', bytes: 17 }]);
  assert.equal(decoder.pendingBytes, 0);

  const single = new FrameDecoder(16);
  assert.deepEqual(single.push(Buffer.from('{"a":1}\n' + 'x'.repeat(17))), [
    { kind: 'frame', line: '{"a":1}' },
    { kind: 'too_large', bytes: 17 },
  ]);
  assert.deepEqual(single.push(Buffer.from('\n')), []);
});

test('a tail exactly at the limit still becomes a frame when its newline comes', () => {
  const decoder = new FrameDecoder(16);
  decoder.push(Buffer.from('x'.repeat(16)));
  assert.deepEqual(decoder.push(Buffer.from('\n')), [{ kind: 'frame', line: 'x'.repeat(16) }]);
});

test('pendingBytes and pendingText show the unterminated tail (legacy one-shot clients)', () => {
  const decoder = new FrameDecoder();
  assert.equal(decoder.pendingBytes, 0);
  assert.equal(decoder.pendingText(), '');
  decoder.push(Buffer.from('{"message_type":'));
  decoder.push(Buffer.from('"régister"}'));
  assert.equal(decoder.pendingBytes, Buffer.byteLength('{"message_type":"régister"}'));
  assert.equal(decoder.pendingText(), '{"message_type":"régister"}');
  decoder.push(Buffer.from('\n{"x'));
  assert.equal(decoder.pendingBytes, 3);
  assert.equal(decoder.pendingText(), '{"x');
});

test('pendingText joins a multi-byte character split across chunks', () => {
  const bytes = Buffer.from('🎉');
  const decoder = new FrameDecoder();
  decoder.push(bytes.subarray(0, 1));
  decoder.push(bytes.subarray(1, 3));
  decoder.push(bytes.subarray(3));
  assert.equal(decoder.pendingText(), '🎉');
});

test('encodeFrame writes one line ending in a single newline and decodes back to the value', () => {
  const value = { text: 'line1\nline2\r\n\u2028end', n: 1.5, nested: [{ ok: true }, null] };
  const encoded = encodeFrame(value);
  assert.ok(encoded.endsWith('\n'));
  assert.equal(encoded.indexOf('\n'), encoded.length - 1);
  const decoded = frames(new FrameDecoder().push(Buffer.from(encoded)));
  assert.equal(decoded.length, 1);
  assert.deepEqual(JSON.parse(decoded[0]!), value);
});
