/**
 * An exact-match table for all-digit keys (DIDs, extension numbers, optionally with a leading
 * `+`), for the lookup every route query starts with.
 *
 * Why not a Map<string, T>: with tens of thousands of DIDs, a Map lookup reads a bucket, a chain
 * entry and the stored key string (to compare its characters), each in its own place on the heap;
 * on a cache-cold lookup those are three or four memory misses before the value is even touched.
 * Here a key is encoded as two small integers stored beside the value in one flat array, so a
 * lookup reads one slot (three adjacent elements) and nothing else.
 *
 * The two integers: `low`, the last 9 digits; `tag`, what tells apart keys with the same last 9
 * digits: the leading digits with a 1 before them (so "0123" and "123" differ), the length for
 * keys of 9 digits or fewer, and whether a `+` comes first. Both stay below 2^30, so the array
 * holds them inline (no boxed numbers). Other keys (letters, `*`, more than 17 digits) are not
 * taken: `set` says so, and `get` answers null, meaning "look elsewhere".
 */

/** Array elements per slot: low, tag, value. */
const SLOT = 3;
const EMPTY = -1;
const MAX_DIGITS = 17;

/** Scratch result of encode(): one pair per table, reused (lookups allocate nothing). */
interface Encoded {
  low: number;
  tag: number;
}

/** Encodes `key` into `out`; false when the table cannot hold it. */
function encode(key: string, out: Encoded): boolean {
  const plus = key.charCodeAt(0) === 0x2b ? 1 : 0;
  const digits = key.length - plus;
  if (digits <= 0 || digits > MAX_DIGITS) return false;
  let low = 0;
  let lead = 1;
  const split = key.length - 9;
  for (let i = plus; i < key.length; i++) {
    const d = key.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < split) lead = lead * 10 + d;
    else low = low * 10 + d;
  }
  out.low = low;
  // Up to 9 digits: -(length), so "007" and "7" differ; more: the leading digits after a 1.
  out.tag = (digits <= 9 ? -digits : lead) * 2 - plus;
  return true;
}

export class DigitKeyTable<T> {
  private readonly slots: (number | T)[];
  private readonly mask: number;
  private readonly scratch: Encoded = { low: 0, tag: 0 };
  size = 0;

  /** `capacity`: how many keys will be set; at most half the slots are ever full. */
  constructor(capacity: number) {
    let n = 8;
    while (n < capacity * 2) n *= 2;
    this.mask = n - 1;
    this.slots = new Array<number | T>(n * SLOT).fill(EMPTY);
  }

  /** Stores `value` under `key`; false (nothing stored) when the table cannot hold the key, already has it, or is full. */
  set(key: string, value: T): boolean {
    const k = this.scratch;
    if (!encode(key, k) || (this.size + 1) * 2 > this.mask + 1) return false;
    const slots = this.slots;
    for (let s = hash(k.low, k.tag) & this.mask; ; s = (s + 1) & this.mask) {
      const at = s * SLOT;
      if (slots[at] === EMPTY) {
        slots[at] = k.low;
        slots[at + 1] = k.tag;
        slots[at + 2] = value;
        this.size++;
        return true;
      }
      if (slots[at] === k.low && slots[at + 1] === k.tag) return false;
    }
  }

  /** The value under `key`: undefined when there is none, null when the table cannot hold such a key. */
  get(key: string): T | undefined | null {
    const k = this.scratch;
    if (!encode(key, k)) return null;
    const { low, tag } = k;
    const slots = this.slots;
    for (let s = hash(low, tag) & this.mask; ; s = (s + 1) & this.mask) {
      const at = s * SLOT;
      const l = slots[at];
      if (l === EMPTY) return undefined;
      if (l === low && slots[at + 1] === tag) return slots[at + 2] as T;
    }
  }
}

/** A 32-bit mix of the three parts (murmur3's finaliser), so consecutive DIDs spread over the table. */
function hash(low: number, tag: number): number {
  let h = low ^ Math.imul(tag, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
