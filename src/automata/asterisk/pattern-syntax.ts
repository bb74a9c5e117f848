/**
 * Asterisk extension-pattern syntax, as the classic matcher reads it.
 *
 * Source: asterisk/asterisk main/pbx.c (master f0c1c1a7), `_extension_match_core` and the
 * comment block above `ext_cmp_pattern_pos`. Everything here works on *byte strings*
 * (one JS char per byte, 0–255), because pbx.c compares C `char`s: a UTF-8 name is several
 * bytes to Asterisk. `toBytes` converts; ASCII input is returned unchanged (the fast path).
 */

/** One position of a pattern, as `_extension_match_core` consumes it. */
export type PatternToken =
  /** A set of bytes matching one dialled character: a literal char, N/X/Z (any case) or `[...]`. */
  | { kind: 'chars'; set: Uint8Array; key: string }
  /** `.`: matches when at least one more dialled character is left (returns 1 at once). */
  | { kind: 'dot' }
  /** `!`: matches zero or more characters (returns 2, "early match"). */
  | { kind: 'bang' }
  /** `[]`: skipped while dialled characters remain; if the dialled string ends here it is a partial match. */
  | { kind: 'empty' }
  /** `[` without `]`: "Wrong usage of [] in the extension": no match once reached with data left. */
  | { kind: 'broken' };


/** The string as the C code sees it: UTF-8 bytes, one JS char (0–255) per byte. */
export function toBytes(s: string): string {
  // A character loop: much cheaper than a regex for the short ASCII strings of every lookup.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'utf8').toString('latin1');
  return s;
}

/** Back from bytes to text, for messages (invalid UTF-8 is kept as Latin-1). */
export function fromBytes(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  const buf = Buffer.from(s, 'latin1');
  const text = buf.toString('utf8');
  return text.includes('\ufffd') ? s : text;
}

/** C `char` on x86-64 is signed: bytes 0x80–0xff compare as negative numbers. */
function signedChar(c: number): number {
  return c >= 0x80 ? c - 0x100 : c;
}

function rangeSet(lo: number, hi: number): Uint8Array {
  const set = new Uint8Array(256);
  for (let c = lo; c <= hi; c++) set[c] = 1;
  return set;
}

const DIGITS_2_9 = rangeSet(0x32, 0x39);
const DIGITS_1_9 = rangeSet(0x31, 0x39);
const DIGITS_0_9 = rangeSet(0x30, 0x39);

function setKey(set: Uint8Array): string {
  let key = '';
  for (let c = 0; c < 256; c++) if (set[c]) key += String.fromCharCode(c);
  return key;
}

const singleCache = new Map<number, PatternToken>();
function single(c: number): PatternToken {
  let t = singleCache.get(c);
  if (!t) {
    const set = new Uint8Array(256);
    set[c] = 1;
    t = { kind: 'chars', set, key: String.fromCharCode(c) };
    singleCache.set(c, t);
  }
  return t;
}

const N_TOKEN: PatternToken = { kind: 'chars', set: DIGITS_2_9, key: setKey(DIGITS_2_9) };
const Z_TOKEN: PatternToken = { kind: 'chars', set: DIGITS_1_9, key: setKey(DIGITS_1_9) };
const X_TOKEN: PatternToken = { kind: 'chars', set: DIGITS_0_9, key: setKey(DIGITS_0_9) };

/**
 * Tokens of a pattern body (the name without its leading `_`), in byte form.
 * Models `_extension_match_core`: `-` outside sets is skipped, `/` ends the pattern,
 * a set `[a-c5]` takes `x-y` as a range only when a char follows the `-` before `]`
 * (`pattern+2 < end`), there is no escaping inside sets. Tokens after `.` or `!` are never
 * looked at by the matcher (it returns as soon as it reaches them), so they are dropped.
 */
export function tokenizePattern(body: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  const n = body.length;
  let i = 0;
  while (i < n) {
    const ch = body.charCodeAt(i);
    if (ch === 0x2d /* - */) { i++; continue; }
    if (ch === 0x2f /* / */) break;
    switch (ch) {
      case 0x4e: case 0x6e: tokens.push(N_TOKEN); i++; continue; // N n
      case 0x58: case 0x78: tokens.push(X_TOKEN); i++; continue; // X x
      case 0x5a: case 0x7a: tokens.push(Z_TOKEN); i++; continue; // Z z
      case 0x2e: tokens.push({ kind: 'dot' }); return tokens; // .
      case 0x21: tokens.push({ kind: 'bang' }); return tokens; // !
      case 0x5b: { // [
        const end = body.indexOf(']', i + 1);
        if (end < 0) { tokens.push({ kind: 'broken' }); return tokens; }
        if (end === i + 1) { tokens.push({ kind: 'empty' }); i = end + 1; continue; }
        const set = new Uint8Array(256);
        for (let p = i + 1; p < end; p++) {
          const c1 = body.charCodeAt(p);
          if (p + 2 < end && body.charCodeAt(p + 1) === 0x2d) {
            // `*data >= pattern[0] && *data <= pattern[2]` on signed char (see signedByte).
            const lo = signedChar(c1);
            const hi = signedChar(body.charCodeAt(p + 2));
            for (let c = lo; c <= hi; c++) set[c & 0xff] = 1;
            p += 2;
          } else {
            set[c1] = 1;
          }
        }
        // A set whose range is written backwards (`[9-0]`) is empty but not "ignored":
        // the matcher compares against it and fails. Keep it as an empty chars set.
        tokens.push({ kind: 'chars', set, key: setKey(set) });
        i = end + 1;
        continue;
      }
      default:
        tokens.push(single(ch));
        i++;
    }
  }
  return tokens;
}

/** Remove `-` from a dialled string: `_extension_match_core` and `ext_cmp_exten` skip it everywhere. */
export function stripDashes(s: string): string {
  return s.indexOf('-') < 0 ? s : s.replace(/-/g, '');
}
