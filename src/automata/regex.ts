/**
 * Regular expressions as data: the common form into which every pattern language pbxlint reads
 * (Asterisk extension patterns, Kamailio's POSIX ERE, FreeSWITCH's PCRE where it is regular) is
 * translated, so that one automaton library (dfa.ts) can intersect, subtract and enumerate them.
 *
 * This is the lowest layer of the pipeline: it imports nothing from parsers, resolvers or rules.
 *
 * The alphabet is the dialable one: printable ASCII without space (0x21–0x7E). A SIP Request-URI
 * user part can carry nothing else unescaped (RFC 3261 §25.1), and every engine compares the
 * string byte by byte, so a set of bytes outside it only ever excludes strings no request sends.
 */

/** First and last code of the alphabet (inclusive). */
export const ALPHABET_FIRST = 0x21;
export const ALPHABET_LAST = 0x7e;
export const ALPHABET_SIZE = ALPHABET_LAST - ALPHABET_FIRST + 1;

/** A set of alphabet characters: bit i stands for code ALPHABET_FIRST + i. Immutable by convention. */
export class CharSet {
  private constructor(readonly bits: Uint32Array) {}

  static readonly EMPTY = new CharSet(new Uint32Array(3));
  static readonly ANY = CharSet.range(ALPHABET_FIRST, ALPHABET_LAST);

  /** Codes lo..hi inclusive, clipped to the alphabet. */
  static range(lo: number, hi: number): CharSet {
    const bits = new Uint32Array(3);
    for (let c = Math.max(lo, ALPHABET_FIRST); c <= Math.min(hi, ALPHABET_LAST); c++) {
      const i = c - ALPHABET_FIRST;
      bits[i >>> 5] |= 1 << (i & 31);
    }
    return new CharSet(bits);
  }

  /** The characters of `chars` that are in the alphabet (others are dropped: no request carries them). */
  static of(chars: string): CharSet {
    const bits = new Uint32Array(3);
    for (let k = 0; k < chars.length; k++) {
      const c = chars.charCodeAt(k);
      if (c < ALPHABET_FIRST || c > ALPHABET_LAST) continue;
      const i = c - ALPHABET_FIRST;
      bits[i >>> 5] |= 1 << (i & 31);
    }
    return new CharSet(bits);
  }

  has(code: number): boolean {
    if (code < ALPHABET_FIRST || code > ALPHABET_LAST) return false;
    const i = code - ALPHABET_FIRST;
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  union(o: CharSet): CharSet {
    return new CharSet(this.bits.map((w, k) => w | o.bits[k]));
  }

  intersect(o: CharSet): CharSet {
    return new CharSet(this.bits.map((w, k) => w & o.bits[k]));
  }

  /** The alphabet minus this set. */
  complement(): CharSet {
    return new CharSet(this.bits.map((w, k) => ~w & CharSet.ANY.bits[k]));
  }

  isEmpty(): boolean {
    return this.bits[0] === 0 && this.bits[1] === 0 && this.bits[2] === 0;
  }

  equals(o: CharSet): boolean {
    return this.bits[0] === o.bits[0] && this.bits[1] === o.bits[1] && this.bits[2] === o.bits[2];
  }

  /** Codes in increasing order. */
  codes(): number[] {
    const out: number[] = [];
    for (let c = ALPHABET_FIRST; c <= ALPHABET_LAST; c++) if (this.has(c)) out.push(c);
    return out;
  }

  /** A stable key, for maps. */
  key(): string {
    return `${this.bits[0]}.${this.bits[1]}.${this.bits[2]}`;
  }
}

/**
 * A regular expression over the alphabet. `none` is the empty language, `eps` the empty string.
 * Repetition other than `*` is written with the helpers below (`plus`, `optional`, `repeat`).
 */
export type Re =
  | { readonly t: 'none' }
  | { readonly t: 'eps' }
  | { readonly t: 'chars'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: readonly Re[] }
  | { readonly t: 'alt'; readonly alts: readonly Re[] }
  | { readonly t: 'star'; readonly node: Re };

export const NONE: Re = { t: 'none' };
export const EPS: Re = { t: 'eps' };

export function chars(set: CharSet): Re {
  return set.isEmpty() ? NONE : { t: 'chars', set };
}

/** The literal string `s` (characters outside the alphabet make it the empty language). */
export function literal(s: string): Re {
  const items: Re[] = [];
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < ALPHABET_FIRST || c > ALPHABET_LAST) return NONE;
    items.push({ t: 'chars', set: CharSet.range(c, c) });
  }
  return cat(items);
}

export function cat(items: readonly Re[]): Re {
  const flat: Re[] = [];
  for (const r of items) {
    if (r.t === 'none') return NONE;
    if (r.t === 'eps') continue;
    if (r.t === 'cat') flat.push(...r.items);
    else flat.push(r);
  }
  return flat.length === 0 ? EPS : flat.length === 1 ? flat[0] : { t: 'cat', items: flat };
}

export function alt(alts: readonly Re[]): Re {
  const flat: Re[] = [];
  for (const r of alts) {
    if (r.t === 'none') continue;
    if (r.t === 'alt') flat.push(...r.alts);
    else flat.push(r);
  }
  return flat.length === 0 ? NONE : flat.length === 1 ? flat[0] : { t: 'alt', alts: flat };
}

export function star(node: Re): Re {
  return node.t === 'none' || node.t === 'eps' ? EPS : node.t === 'star' ? node : { t: 'star', node };
}

export function plus(node: Re): Re {
  return cat([node, star(node)]);
}

export function optional(node: Re): Re {
  return alt([EPS, node]);
}

/** `node{min,max}`; max = Infinity for `{min,}`. */
export function repeat(node: Re, min: number, max: number): Re {
  const items: Re[] = [];
  for (let i = 0; i < min; i++) items.push(node);
  if (max === Infinity) items.push(star(node));
  else for (let i = min; i < max; i++) items.push(optional(node));
  return cat(items);
}

/** Any string of the alphabet (Σ*). */
export const ANY_STRING: Re = star(chars(CharSet.ANY));
