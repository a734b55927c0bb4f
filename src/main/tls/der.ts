/** Just enough DER (ASN.1) to write one self-signed X.509 certificate. */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
export const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
export const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
/** A context-specific constructed tag, e.g. [0] for the certificate version. */
export const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);

export function integer(bytes: Buffer): Buffer {
  // DER integers are signed: a leading 1 bit needs a zero byte in front.
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

export function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * first + second];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let x = value >>> 7; x > 0; x >>>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export function generalizedTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return tlv(0x18, Buffer.from(text, 'ascii'));
}

export function bitString(bytes: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}
