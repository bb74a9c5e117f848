/**
 * The Asterisk extension-pattern engine: how a name matches a dialled string, how a context's
 * extension list is sorted, and which entry a lookup picks.
 *
 * Every function models main/pbx.c of asterisk/asterisk (master f0c1c1a7); the function
 * names in the comments are the ones in that file. Semantics summary:
 * ../shared/docs/semantics/asterisk.md §3. Pure, no I/O.
 *
 * Verification: besides the tests, the matcher, the sort order (with CID variants and merges),
 * the classic walk and the trie were run side by side with the pbx.c functions themselves
 * (compiled locally from the mirror, not committed) on over 1,000,000 random queries against
 * random contexts, including sets, `[]`, broken `[`, `-`, lowercase wildcards, CIDs and UTF-8
 * (x86-64, signed char): no difference,
 * except for an EMPTY dialled string in the trie, where pbx.c reads past the end of the string
 * (chan_pjsip turns an empty user into `s`, so it does not arise for SIP).
 *
 * Split:
 * - pattern-syntax.ts    tokens of a pattern (what `_extension_match_core` reads)
 * - pattern.ts           names, matching, sort order, caller-ID, lookup entry point (this file)
 * - pattern-classic.ts   index for the default algorithm (`pbx_find_extension` list walk)
 * - pattern-trie.ts      `extenpatternmatchnew=yes` (`new_find_extension`), ported node by node
 * - pattern-language.ts  exact language algebra over names (subset, intersection, examples,
 *                        entries the walk can never stop at)
 */
import { toBytes } from './pattern-syntax';
import { buildClassicIndex } from './pattern-classic';
import { buildTrieIndex } from './pattern-trie';

/**
 * Name as Asterisk stores it for matching (`ast_exten.exten`): `ext_strncpy(..., nofluff=1)`
 * drops spaces outside `[...]` and `-` outside `[...]`. Brackets count only in patterns
 * (`is_pattern = *src == '_'`); in a literal every space and `-` goes.
 */
export function matchNameOf(written: string): string {
  // Most names have nothing to drop: return them as they are (no per-character rebuild).
  if (written.indexOf(' ') < 0 && written.indexOf('-') < 0) return written;
  const isPat = written.charCodeAt(0) === 0x5f;
  let out = '';
  let inSquares = false;
  for (let i = 0; i < written.length; i++) {
    const ch = written[i];
    if (ch === '[') {
      if (isPat) inSquares = true;
    } else if (ch === ']') {
      inSquares = false;
    } else if ((ch === ' ' || ch === '-') && !inSquares) {
      continue;
    }
    out += ch;
  }
  return out;
}

/**
 * Caller-ID match as stored (`ast_exten.cidmatch`): pbx_config runs `ast_shrink_phone_number`
 * on the text after `/` (main/callerid.c: drops `(`, `)`, spaces, `-` outside brackets, and `.`
 * unless last), then `ext_strncpy(..., nofluff=1)` as for names.
 */
export function cidMatchNameOf(written: string): string {
  let shrunk = '';
  let bracketed = 0;
  for (let i = 0; i < written.length; i++) {
    const ch = written[i];
    if (ch === '[') bracketed++;
    else if (ch === ']') bracketed--;
    else if (ch === '-') { if (!bracketed) continue; }
    else if (ch === '.') { if (i !== written.length - 1) continue; }
    else if (ch === '(' || ch === ')' || ch === ' ') continue;
    shrunk += ch;
  }
  return matchNameOf(shrunk);
}

/** A name starting with `_` is a pattern (`ext_cmp`, `_extension_match_core`). */
export function isPattern(name: string): boolean {
  return name.charCodeAt(0) === 0x5f;
}

/** E_MATCH (exists), E_CANMATCH (could match, now or with more digits), E_MATCHMORE (needs more digits). */
export type MatchMode = 'match' | 'canmatch' | 'matchmore';

/** 0 no match, 1 match, 2 early match (`!` reached), like `_extension_match_core`. */
export type MatchCode = 0 | 1 | 2;

/** Dash-skipping helpers shared by the literal comparisons (`ext_cmp_exten*`). */
function skipDashes(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) === 0x2d) i++;
  return i;
}

function lengthWithoutDashes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x2d) n++;
  return n;
}

/**
 * `ext_cmp_exten` and the set ranges of `_extension_match_core` compare plain C `char`, which
 * is SIGNED on x86-64 (the usual Asterisk host): bytes 0x80–0xff (UTF-8 text) are negative and
 * sort before digits. Only non-ASCII names are affected; ARM builds (unsigned char) differ there.
 */
export function signedByte(c: number): number {
  return c >= 0x80 ? c - 0x100 : c;
}

/** `ext_cmp_exten`: byte compare ignoring `-` (0 past the end, like the C terminator). */
function cmpExten(left: string, right: string): number {
  let l = 0;
  let r = 0;
  for (;;) {
    l = skipDashes(left, l);
    r = skipDashes(right, r);
    const a = l < left.length ? signedByte(left.charCodeAt(l)) : 0;
    const b = r < right.length ? signedByte(right.charCodeAt(r)) : 0;
    const cmp = a - b;
    if (cmp || !a) return cmp;
    l++;
    r++;
  }
}

/** `ext_cmp_exten_partial`: as cmpExten, but 0 when `right` ends first (prefix). */
function cmpExtenPartial(left: string, right: string): number {
  let l = 0;
  let r = 0;
  for (;;) {
    l = skipDashes(left, l);
    r = skipDashes(right, r);
    if (r >= right.length) return 0;
    const a = l < left.length ? signedByte(left.charCodeAt(l)) : 0;
    const cmp = a - signedByte(right.charCodeAt(r));
    if (cmp) return cmp;
    l++;
    r++;
  }
}

/** Literal order of dash-free byte strings (`ext_cmp_exten`), for the index. */
export function compareLiteralKeys(a: string, b: string): number {
  return cmpExten(a, b);
}

/**
 * `_extension_match_core(pattern, data, mode)` on byte strings. Returns 0, 1, or 2 (early
 * match: the pattern reached `!`). `extension_match_core` turns NULL/empty into "".
 */
export function matchCode(name: string, dialed: string, mode: MatchMode): MatchCode {
  const pattern = toBytes(name);
  const data = toBytes(dialed);
  if (pattern.charCodeAt(0) !== 0x5f) {
    // Literal: exact (E_MATCH) or prefix (E_CANMATCH/E_MATCHMORE) comparison, dashes ignored.
    const lp = lengthWithoutDashes(pattern);
    const ld = lengthWithoutDashes(data);
    if (lp < ld) return 0;
    if (mode === 'match') return cmpExten(pattern, data) === 0 ? 1 : 0;
    if (ld === 0 || cmpExtenPartial(pattern, data) === 0) {
      return mode === 'matchmore' ? (lp > ld ? 1 : 0) : 1;
    }
    return 0;
  }
  // "note: if this test is left out, then _x. will not match _x. !!!": with E_MATCH a dialled
  // string that is itself a pattern matches a pattern that sorts equal to it.
  if (mode === 'match' && data.charCodeAt(0) === 0x5f && comparePatternBodies(pattern, 1, data, 1) === 0) {
    return 1;
  }
  let p = 1;
  let d = 0;
  const pl = pattern.length;
  const dl = data.length;
  for (;;) {
    d = skipDashes(data, d);
    p = skipDashes(pattern, p);
    if (d >= dl || p >= pl || pattern.charCodeAt(p) === 0x2f) break;
    const pc = pattern.charCodeAt(p);
    const dc = data.charCodeAt(d);
    switch (pc) {
      case 0x5b: { // '['
        p++;
        const end = pattern.indexOf(']', p);
        if (end < 0) return 0; // "Wrong usage of [] in the extension"
        if (p === end) { p++; continue; } // empty set: ignored, consumes nothing
        let found = false;
        for (; p < end; p++) {
          if (p + 2 < end && pattern.charCodeAt(p + 1) === 0x2d) {
            const sd = signedByte(dc);
            if (sd >= signedByte(pattern.charCodeAt(p)) && sd <= signedByte(pattern.charCodeAt(p + 2))) { found = true; break; }
            p += 2;
          } else if (dc === pattern.charCodeAt(p)) { found = true; break; }
        }
        if (!found) return 0;
        p = end;
        break;
      }
      case 0x4e: case 0x6e: if (dc < 0x32 || dc > 0x39) return 0; break;
      case 0x58: case 0x78: if (dc < 0x30 || dc > 0x39) return 0; break;
      case 0x5a: case 0x7a: if (dc < 0x31 || dc > 0x39) return 0; break;
      case 0x2e: return 1; // '.': at least this one character is left
      case 0x21: return 2; // '!'
      default: if (dc !== pc) return 0;
    }
    d++;
    p++;
  }
  if (d < dl) return 0; // data longer than pattern
  if (p >= pl || pattern.charCodeAt(p) === 0x2f) return mode === 'matchmore' ? 0 : 1;
  if (pattern.charCodeAt(p) === 0x21) return 2;
  return mode === 'match' ? 0 : 1; // partial match: the pattern wants more
}

/**
 * `ast_extension_match` (mode 'match') / `ast_extension_close` (canmatch, matchmore) for one
 * extension name against a dialled string. Early matches (`!`) count as matches here; note that
 * `pbx_find_extension` treats an early match in E_MATCHMORE as a final "no" (see findInContext).
 */
export function extensionMatches(name: string, dialed: string, mode: MatchMode): boolean {
  return matchCode(name, dialed, mode) !== 0;
}

// ------------------------------------------------------------------ sort order (ext_cmp)

/**
 * `ext_cmp_pattern_pos`: the score of the pattern position starting at `s[i]`, and its member
 * bitmap (32 bytes, most significant bit = lowest char). Returns [score, next index or -1 at end].
 */
function patternPosition(s: string, i: number, bits: Uint8Array): [number, number] {
  for (;;) {
    let c: number;
    do {
      c = i < s.length ? s.charCodeAt(i) : 0;
      i++;
    } while (c === 0x2d);
    switch (c) {
      case 0x4e: case 0x6e: bits[6] = 0x3f; bits[7] = 0xc0; return [0x0800 | 0x32, i];
      case 0x58: case 0x78: bits[6] = 0xff; bits[7] = 0xc0; return [0x0a00 | 0x30, i];
      case 0x5a: case 0x7a: bits[6] = 0x7f; bits[7] = 0xc0; return [0x0900 | 0x31, i];
      case 0x2e: return [0x18000, i];
      case 0x21: return [0x28000, i];
      case 0: return [0x30000, -1];
      case 0x5b: break;
      default:
        bits[c >> 3] = 1 << (7 - (c & 7));
        return [0x0100 | c, i];
    }
    const end = s.indexOf(']', i);
    if (end < 0) return [0x40000, i]; // broken set sorts last; the next position reads on after '['
    let count = 0;
    let cmin = 0xff;
    for (; i < end; i++) {
      let c1 = s.charCodeAt(i);
      let c2 = c1;
      if (i + 2 < end && s.charCodeAt(i + 1) === 0x2d) {
        c2 = s.charCodeAt(i + 2);
        i += 2;
      }
      if (c1 < cmin) cmin = c1;
      for (; c1 <= c2; c1++) {
        const mask = 1 << (7 - (c1 & 7));
        if (!(bits[c1 >> 3] & mask)) {
          bits[c1 >> 3] |= mask;
          count += 0x100;
        }
      }
    }
    i++;
    if (count) return [count | cmin, i];
    // empty set: ignored, read the next position (do { } while (!count))
  }
}

/** `ext_cmp_pattern` on two pattern bodies starting at the given offsets. */
function comparePatternBodies(left: string, li: number, right: string, ri: number): number {
  for (;;) {
    const lb = new Uint8Array(32);
    const rb = new Uint8Array(32);
    const [lScore, lNext] = patternPosition(left, li, lb);
    const [rScore, rNext] = patternPosition(right, ri, rb);
    let cmp = lScore - rScore;
    if (!cmp) {
      // memcmp(right_bitwise, left_bitwise): lower chars in the set sort first.
      for (let k = 0; k < 32 && !cmp; k++) cmp = rb[k] - lb[k];
    }
    if (cmp) return cmp;
    if (lNext < 0) return 0; // both ended together
    li = lNext;
    ri = rNext;
  }
}

/**
 * `ext_cmp`: the sort order of a context's extension list. < 0: `a` is tried first. 0: Asterisk
 * treats them as the SAME extension (`ast_add_extension2_lockopt` merges their priorities; a
 * priority already present is rejected with "Unable to register extension"). Literals sort
 * before patterns; literals compare by bytes ignoring `-`; patterns position by position.
 */
export function compareExtensionNames(a: string, b: string): number {
  const left = toBytes(a);
  const right = toBytes(b);
  if (left.charCodeAt(0) !== 0x5f) {
    if (right.charCodeAt(0) === 0x5f) return -1;
    return cmpExten(left, right);
  }
  if (right.charCodeAt(0) !== 0x5f) return 1;
  return comparePatternBodies(left, 1, right, 1);
}

/**
 * A string that two names share exactly when compareExtensionNames finds them equal (`ext_cmp`
 * returns 0: one registered extension), for filing names in a Map. Literals: their bytes without
 * `-`, up to a NUL (ext_cmp_exten); patterns: the score and member set of each position
 * (ext_cmp_pattern_pos). The two kinds never share a key.
 */
export function extensionNameKey(name: string): string {
  const s = toBytes(name);
  if (s.charCodeAt(0) !== 0x5f) {
    const nul = s.indexOf('\u0000');
    const bytes = nul >= 0 ? s.slice(0, nul) : s;
    return 'L' + (bytes.includes('-') ? bytes.replace(/-/g, '') : bytes);
  }
  let key = 'P';
  for (let i = 1; ;) {
    const bits = new Uint8Array(32);
    const [score, next] = patternPosition(s, i, bits);
    key += score.toString(16) + ':' + Buffer.from(bits).toString('latin1') + ';';
    if (next < 0) return key;
    i = next;
  }
}

// ------------------------------------------------------------------ caller ID

/**
 * `matchcid(cidpattern, callerid)` for an extension with a CID match (`exten => name/cid`).
 * `cidPattern` undefined: the extension has no CID match and accepts any caller.
 * An empty CID pattern (`exten => 100/,…`) matches only calls with no caller number.
 * Otherwise `ast_extension_match(cidpattern, callerid)`: a `_` prefix makes it a pattern.
 */
/**
 * The trie's E_CANMATCH / E_MATCHMORE walk of the caller's number below a `/` node
 * (main/pbx.c new_find_extension: `if (p->next_char && callerid && *callerid)` then the same
 * canmatch walk as for the number): it succeeds when the non-empty number matches the CID
 * pattern or could still grow into a match.
 */
export function cidCanMatch(cidPattern: string, callerId: string | undefined): boolean {
  return !!callerId && matchCode(cidPattern, callerId, 'canmatch') !== 0;
}

export function cidMatches(cidPattern: string | undefined, callerId: string | undefined): boolean {
  if (cidPattern === undefined) return true;
  if (!callerId) return cidPattern === '';
  return matchCode(cidPattern, callerId, 'match') !== 0;
}

/**
 * Full list order (`ast_add_extension2_lockopt` insert loop): names by `ext_cmp`; for equal
 * names an entry WITH a CID match sorts before the one without; two CID entries compare their
 * CID match strings with `ext_cmp` again. 0: the same extension (priorities merge).
 */
export function compareExtensions(
  a: { matchName: string; cid?: string },
  b: { matchName: string; cid?: string },
): number {
  const byName = compareExtensionNames(a.matchName, b.matchName);
  if (byName) return byName;
  if (a.cid === undefined && b.cid === undefined) return 0;
  if (a.cid === undefined) return 1;
  if (b.cid === undefined) return -1;
  return compareExtensionNames(a.cid, b.cid);
}

// ------------------------------------------------------------------ lookup in one context

export interface MatchableExtension {
  /** matchNameOf(name as written). */
  matchName: string;
  /** cidMatchNameOf(text after `/`); undefined when the extension has no CID match. */
  cid?: string;
  hasPriority(priority: number): boolean;
  /** Label → priority (`peer_label_table`), for E_FINDLABEL lookups; absent: no labels. */
  registeredLabels?: ReadonlyMap<string, number>;
  /**
   * Order in which this (name, cid) was first registered in the context (0, 1, 2 … in load
   * order). Only the trie algorithm needs it: it breaks specificity ties by hash-table
   * traversal order (see pattern-trie.ts). Default: the position in the sorted list.
   */
  registrationOrder?: number;
}

export type LookupAlgorithm = 'classic' | 'trie';

export interface LookupResult<T> {
  /** The entry whose priority is used, or null (not found, or a final "no" for matchmore). */
  chosen: T | null;
  /** Entries that matched the name (and CID) in the order the engine considered them. */
  considered: T[];
}

export interface ContextIndex<T extends MatchableExtension> {
  find(dialed: string, callerId: string | undefined, priority: number, mode: MatchMode, algorithm: LookupAlgorithm): LookupResult<T>;
  /** find(…).chosen, without building the list of entries considered where that can be skipped. */
  choose(dialed: string, callerId: string | undefined, priority: number, mode: MatchMode, algorithm: LookupAlgorithm): T | null;
  /**
   * E_FINDLABEL (`ast_findlabel_extension`): the entry whose label table has `label`, as the
   * lookup for `dialed` in this context picks it, or null. `anyCaller`: skip the caller-ID test
   * (every CID match passes; the classic walk only), for "could any caller find it".
   */
  chooseLabel(dialed: string, callerId: string | undefined, label: string, algorithm: LookupAlgorithm, anyCaller?: boolean): T | null;
  /** Whether some extension has a CID match: only then can the caller's number change an answer. */
  readonly hasCallerIdMatches: boolean;
  /** The context's extensions grouped as the lookups see them (groupEntries; read, never changed). */
  readonly groups: readonly ExtensionGroup<T>[];
  /**
   * The lookup (a priority, or a label for E_FINDLABEL) for a caller whose number is not known:
   * each CID match that would decide it is put to `callerMatches(cid)`, which says whether the
   * number is taken to match it. The trie in E_CANMATCH asks `^` + the CID pattern instead:
   * whether the number matches it or is the start of a number that does (its walk of the
   * caller's number below `/` is a canmatch walk too). The trie in E_MATCHMORE, which no route
   * question asks, takes the caller to have no number.
   */
  chooseForCaller(dialed: string, want: Wanted, mode: MatchMode, algorithm: LookupAlgorithm, callerMatches: (cid: string) => boolean): T | null;
}

/**
 * Entries that compare equal (`compareExtensions` === 0) are ONE `ast_exten` in Asterisk: the
 * first registered keeps its name, later lines add priorities. The index groups adjacent equal
 * entries; within a group the first entry (in list order) that has the wanted priority is the
 * one chosen (`add_priority` with replace=0 keeps the first registration of a priority).
 */
export interface ExtensionGroup<T extends MatchableExtension> {
  members: T[];
  /** Position in the sorted list of groups. */
  rank: number;
  matchName: string;
  cid?: string;
  registrationOrder: number;
}

export function memberWithPriority<T extends MatchableExtension>(group: ExtensionGroup<T>, priority: number): T | null {
  for (const m of group.members) if (m.hasPriority(priority)) return m;
  return null;
}

/**
 * The member whose lines give the extension's `peer_label_table` entry for `label` (the first
 * registered: ast_hashtab_insert_safe keeps an existing label), or null when it has none.
 */
export function memberWithLabel<T extends MatchableExtension>(group: ExtensionGroup<T>, label: string): T | null {
  for (const m of group.members) if (m.registeredLabels?.has(label)) return m;
  return null;
}

/**
 * What a lookup wants of the extension it stops at (pbx_find_extension's `pattern`): a priority
 * number (E_MATCH and the others), or a label (E_FINDLABEL: `peer_label_table` instead of
 * `peer_table`).
 */
export type Wanted = number | { label: string };

/** memberWithPriority or memberWithLabel, as `want` says. */
export function memberWanted<T extends MatchableExtension>(group: ExtensionGroup<T>, want: Wanted): T | null {
  return typeof want === 'number' ? memberWithPriority(group, want) : memberWithLabel(group, want.label);
}

export function groupEntries<T extends MatchableExtension>(sorted: readonly T[]): ExtensionGroup<T>[] {
  const groups: ExtensionGroup<T>[] = [];
  sorted.forEach((entry, i) => {
    const last = groups[groups.length - 1];
    const order = entry.registrationOrder ?? i;
    if (last && compareExtensions(last.members[0], entry) === 0) {
      last.members.push(entry);
      last.registrationOrder = Math.min(last.registrationOrder, order);
      return;
    }
    groups.push({ members: [entry], rank: groups.length, matchName: entry.matchName, cid: entry.cid, registrationOrder: order });
  });
  return groups;
}

/**
 * An index over one context's sorted extension list, answering lookups without scanning the
 * list: the classic walk through pattern-classic.ts, the trie through pattern-trie.ts (built on
 * first use). Build once per context and reuse.
 */
export interface ContextIndexOptions {
  /**
   * Trie only: the trie was built during loading, when the extensions whose registrationOrder is
   * below this number were registered (DialplanContext.trieBuiltAfter: a line whose priority is a
   * label, which pbx_config resolves with `ast_findlabel_extension2`, a lookup). Counted in model
   * entries, as registrationOrder is, not in distinct (name, cid) extensions. Loading never
   * gives 0: `pbx_find_extension` builds no tree while the context has no `root_table`.
   * Omit when there is none.
   */
  trieBuiltAfter?: number;
}

export function buildContextIndex<T extends MatchableExtension>(sorted: readonly T[], options: ContextIndexOptions = {}): ContextIndex<T> {
  const groups = groupEntries(sorted);
  const classic = buildClassicIndex(groups);
  let trie: ReturnType<typeof buildTrieIndex<T>> | undefined;
  return {
    find(dialed, callerId, priority, mode, algorithm) {
      if (algorithm === 'classic') return classic.find(dialed, callerId, priority, mode);
      trie ??= buildTrieIndex(groups, options.trieBuiltAfter);
      return trie.find(dialed, callerId, priority, mode);
    },
    choose(dialed, callerId, priority, mode, algorithm) {
      if (algorithm === 'classic') return classic.choose(dialed, callerId, priority, mode);
      return this.find(dialed, callerId, priority, mode, algorithm).chosen;
    },
    chooseLabel(dialed, callerId, label, algorithm, anyCaller = false) {
      if (algorithm === 'classic' || anyCaller) return classic.chooseLabel(dialed, callerId, label, anyCaller);
      trie ??= buildTrieIndex(groups, options.trieBuiltAfter);
      return trie.find(dialed, callerId, { label }, 'match').chosen;
    },
    hasCallerIdMatches: groups.some((g) => g.cid !== undefined),
    groups,
    chooseForCaller(dialed, want, mode, algorithm, callerMatches) {
      if (algorithm === 'classic') return classic.chooseForCaller(dialed, want, mode, callerMatches);
      trie ??= buildTrieIndex(groups, options.trieBuiltAfter);
      return trie.find(dialed, undefined, want, mode, callerMatches).chosen;
    },
  };
}

const indexCache = new WeakMap<readonly MatchableExtension[], ContextIndex<MatchableExtension>>();

/**
 * Which extension of ONE context the engine picks for `dialed` (`pbx_find_extension`, the part
 * before switches and includes), for a wanted priority, with the classic list walk or the trie
 * (`extenpatternmatchnew=yes`). `sorted` must be sorted with compareExtensions; the index is
 * cached per array object, so pass the same array for repeated queries (or use buildContextIndex).
 */
export function findInContext<T extends MatchableExtension>(
  sorted: readonly T[],
  dialed: string,
  callerId: string | undefined,
  priority: number,
  mode: MatchMode,
  algorithm: LookupAlgorithm,
): LookupResult<T> {
  return contextIndexOf(sorted).find(dialed, callerId, priority, mode, algorithm);
}

function contextIndexOf<T extends MatchableExtension>(sorted: readonly T[]): ContextIndex<T> {
  let index = indexCache.get(sorted) as ContextIndex<T> | undefined;
  if (!index) {
    index = buildContextIndex(sorted);
    indexCache.set(sorted, index as unknown as ContextIndex<MatchableExtension>);
  }
  return index;
}

export {
  languageOf, isSubset, intersects, exampleInDifference, describeLanguage, lengthBounds,
  firstMatchExamples, type FirstMatchEntry, type Language, withLanguageBudget, LanguageTooComplex,
} from './pattern-language';
