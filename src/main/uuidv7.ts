/**
 * Time-ordered task ids (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, then a 12-bit
 * counter for ids made in the same millisecond, then 62 random bits.
 *
 * Why: the store keeps a unique index on task ids. Random (v4) ids land on a random page of that
 * index each, and a commit writes every page it touched; ids that grow with time land on the last
 * page, so a batch of new tasks touches a few pages instead of one each (bench/README.md).
 * Ids from one generator also sort in the order they were made, even within a millisecond or when
 * the wall clock steps back.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const POOL_IDS = 512;

export class UuidV7 {
  #lastMs = -1;
  #counter = 0;
  #pool = Buffer.alloc(POOL_IDS * 8);
  #poolAt = this.#pool.length;
  #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  next(): string {
    this.#tick();
    const ms = this.#lastMs;
    const counter = this.#counter;
    const r = this.#random();
    const high = Math.floor(ms / 2 ** 16);
    return (
      HEX[(high >>> 24) & 0xff]! +
      HEX[(high >>> 16) & 0xff]! +
      HEX[(high >>> 8) & 0xff]! +
      HEX[high & 0xff]! +
      '-' +
      HEX[(ms >>> 8) & 0xff]! +
      HEX[ms & 0xff]! +
      '-' +
      HEX[0x70 | (counter >>> 8)]! +
      HEX[counter & 0xff]! +
      '-' +
      HEX[(r[0]! & 0x3f) | 0x80]! +
      HEX[r[1]!]! +
      '-' +
      HEX[r[2]!]! +
      HEX[r[3]!]! +
      HEX[r[4]!]! +
      HEX[r[5]!]! +
      HEX[r[6]!]! +
      HEX[r[7]!]!
    );
  }

  /** A clock that stands still or steps back keeps the last time; 4,096 ids in one ms borrow the next. */
  #tick(): void {
    const now = this.#now();
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#counter = 0;
    } else if (this.#counter < 0xfff) {
      this.#counter++;
    } else {
      this.#lastMs++;
      this.#counter = 0;
    }
  }

  #random(): Buffer {
    if (this.#poolAt === this.#pool.length) {
      randomFillSync(this.#pool);
      this.#poolAt = 0;
    }
    const slice = this.#pool.subarray(this.#poolAt, this.#poolAt + 8);
    this.#poolAt += 8;
    return slice;
  }
}
