/**
 * Asterisk extension names → automata over the dialled string (src/automata), for coverage.
 *
 * The language of a name for a lookup mode is the set of dialled strings `_extension_match_core`
 * (main/pbx.c; modelled in pattern.ts matchCode) says match: E_MATCH (mode 'match') or
 * E_CANMATCH (mode 'canmatch': the string could still grow into a match). Dashes in the dialled
 * string are skipped everywhere (`-` in the data is never compared), so every language here is
 * closed under inserting and deleting `-` (marked dash-invariant).
 *
 * Per token (tokenizePattern), with D = `-*` and ND = any character but `-`:
 *   match:    end → D;  set S → D·(S∖-)·next;  `.` → D·ND·Σ*;  `!` → Σ*;
 *             `[]` → next, with at least one more non-dash character;  unterminated `[` → ∅.
 *   canmatch: end → D;  set S → D ∪ D·(S∖-)·next;  `.`, `!` → Σ*;  `[]` → next;  `[` → D.
 * (The loop stops when the data ends: with E_CANMATCH that is a match wherever the pattern is,
 * with E_MATCH only at its end or at `!`.) A literal name (no `_`) matches its dash-free form
 * exactly (E_MATCH) or any prefix of it (E_CANMATCH), `ext_cmp_exten` / `ext_cmp_exten_partial`.
 * Not modelled here: a dialled string that is itself a pattern (begins with `_`): see lookup-cells.ts.
 */
import {
  compile, concatAll, dashedString, Dfa, EMPTY, intersect, markDashInvariant, prefixClosure, union,
} from '../dfa';
import { alt, cat, chars, CharSet, star, type Re } from '../regex';
import { stripDashes, tokenizePattern, type PatternToken } from './pattern-syntax';
import type { MatchMode } from './pattern';

const DASH = CharSet.of('-');
const D: Re = star(chars(DASH));
const ND: Re = chars(DASH.complement());
const ANY: Re = star(chars(CharSet.ANY));
/** At least one non-dash character. */
const SOME: Re = cat([D, ND, ANY]);

function setOf(token: Extract<PatternToken, { kind: 'chars' }>): CharSet {
  let codes = '';
  for (let c = 0x21; c <= 0x7e; c++) if (token.set[c] && c !== 0x2d) codes += String.fromCharCode(c);
  return CharSet.of(codes);
}

const matchCache = new Map<string, Dfa>();
const canmatchCache = new Map<string, Dfa>();

/** The language of extension name `name` (as stored for matching: `matchName`) for `mode` ('match' or 'canmatch'). */
export function nameLanguage(name: string, mode: Exclude<MatchMode, 'matchmore'>): Dfa {
  // One map per mode, keyed by the name itself (a key made per call would be hashed per call:
  // coverage asks for every pattern of a context on every lookup).
  const cache = mode === 'match' ? matchCache : canmatchCache;
  let d = cache.get(name);
  if (d === undefined) {
    d = build(name, mode);
    if (cache.size > 100_000) cache.clear();
    cache.set(name, d);
  }
  return d;
}

function build(name: string, mode: 'match' | 'canmatch'): Dfa {
  if (name.charCodeAt(0) !== 0x5f) {
    const exact = dashedString(stripDashes(name));
    return mode === 'match' ? exact : markDashInvariant(prefixClosure(exact));
  }
  const tokens = tokenizePattern(name.slice(1));
  // Built from the end: `next` is the language of the tokens after position i (an Re while no
  // intersection was needed, an automaton after a `[]`).
  let next: Part = D;
  for (let i = tokens.length - 1; i >= 0; i--) next = mode === 'match' ? matchStep(tokens[i], next) : canStep(tokens[i], next);
  return markDashInvariant(toDfa(next));
}

type Part = Re | Dfa;

function isDfa(x: Part): x is Dfa {
  return x instanceof Dfa;
}

function toDfa(x: Part): Dfa {
  return isDfa(x) ? x : compile(x);
}

function then(head: Re, next: Part): Part {
  return isDfa(next) ? concatAll([head, next]) : cat([head, next]);
}

function orDashes(x: Part): Part {
  return isDfa(x) ? union(compile(D), x) : alt([D, x]);
}

function matchStep(t: PatternToken, next: Part): Part {
  switch (t.kind) {
    case 'chars': return then(cat([D, chars(setOf(t))]), next);
    case 'dot': return SOME;
    case 'bang': return ANY;
    case 'empty': return intersect(toDfa(next), compile(SOME));
    case 'broken': return EMPTY;
  }
}

function canStep(t: PatternToken, next: Part): Part {
  switch (t.kind) {
    case 'chars': return orDashes(then(cat([D, chars(setOf(t))]), next));
    case 'dot':
    case 'bang': return ANY;
    case 'empty': return next;
    case 'broken': return D;
  }
}
