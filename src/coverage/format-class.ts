/**
 * A class of dialled numbers of one format, said the way findings say it (issue 14: the
 * number-format rules of every engine name the whole class that fails, not one example): how many
 * numbers it holds — "all of …", "all but N", or a count —, the engine's notation or an anchored
 * regular expression, a shortest member, the line that decides it.
 */
import { AutomatonBudget, countMembers, dialableRank, difference, members, shortestExample, toRegex, type Dfa } from '../automata/dfa';
import type { FindingNumbers } from '../core/findings';
import type { NumberFormat } from './formats';

/** Beyond this many states the regex is left out (a format less 50,000 DIDs writes out as megabytes). */
const REGEX_STATES = 400;
/** At most this many numbers are listed by name ("all … but 2025550100, 2025550101"). */
const LISTED = 5;

/** The NANP formats the number-format rules ask about, by the names their options use. */
export const NANP_FORMATS = {
  e164: '+1NXXNXXXXXX (E.164 NANP)',
  national11: '1NXXNXXXXXX (11-digit NANP)',
  national10: 'NXXNXXXXXX (10-digit)',
} as const;

function grouped(n: number | 'infinite'): string {
  return n === 'infinite' ? 'infinitely many' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface ClassOutcome {
  verdict: 'rejected' | 'depends';
  status: number | null;
  via?: { file: string; line: number };
  /** The class in the engine's notation, when it has one for this language. */
  notation?: (language: Dfa) => string | undefined;
  /** The format in the engine's notation (Asterisk `_NXXNXXXXXX`): the class's when it is the whole format. */
  formatNotation?: string;
}

/** `cls` (a non-empty part of `format`'s numbers) as a finding's `numbers` entry. */
export function numberClass(cls: Dfa, format: NumberFormat, o: ClassOutcome): FindingNumbers {
  const count = countMembers(cls);
  const total = countMembers(format.language);
  const others = difference(format.language, cls);
  const othersCount = countMembers(others);
  let description: string;
  let pattern: string | undefined;
  if (othersCount === 0) {
    description = `all ${grouped(count)} numbers of ${format.name}`;
    pattern = o.formatNotation;
  } else {
    const listed = typeof othersCount === 'number' && othersCount <= LISTED ? members(others, LISTED) : undefined;
    if (listed) description = `all ${grouped(count)} numbers of ${format.name} but ${listed.join(', ')}`;
    else if (typeof othersCount === 'number' && typeof count === 'number' && othersCount < count) description = `all but ${grouped(othersCount)} of the ${grouped(total)} numbers of ${format.name} (${grouped(count)})`;
    else description = `${grouped(count)} of the ${grouped(total)} numbers of ${format.name}`;
  }
  pattern ??= o.notation?.(cls);
  const regex = othersCount === 0 && format.regex !== undefined ? format.regex : regexOf(cls);
  return {
    format: format.name,
    verdict: o.verdict,
    status: o.status,
    ...(regex !== undefined ? { regex } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    count,
    description,
    example: phoneLikeExample(cls) ?? shortestExample(cls) ?? '',
    ...(o.via ? { via: o.via } : {}),
  };
}

function regexOf(d: Dfa): string | undefined {
  if (d.nStates > REGEX_STATES) return undefined;
  try {
    return toRegex(d);
  } catch (e) {
    if (e instanceof AutomatonBudget) return undefined;
    throw e;
  }
}

/** "all 8,000,000,000 numbers of +1NXXNXXXXXX (E.164 NANP) (^\+1[2-9]…$)" — a class in one line of a message. */
export function classInWords(n: FindingNumbers): string {
  const shown = n.pattern ?? n.regex;
  return shown !== undefined ? `${n.description}, ${shown}` : n.description;
}

/** The digits examples are made of where the class allows: they read like a real number (+12025551234). */
const IDEAL_DIGITS = '2025551234';
/** Printable characters (no space) in dialable order. */
const CANDIDATES = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => 0x21 + i).sort((a, b) => dialableRank(a) - dialableRank(b));

/**
 * A shortest member whose free positions take the digits of 2025551234 in turn (a leading
 * country code 1 aside), else the first character in dialable order that still leads to a member
 * of that length — the examples the number-format findings have always given (`+12025551234`).
 */
export function phoneLikeExample(d: Dfa): string | null {
  const shortest = shortestExample(d);
  if (shortest === null) return null;
  const length = shortest.length;
  const n = d.nStates;
  // reach[r][q]: a member is r characters away from state q.
  const reach: Uint8Array[] = [Uint8Array.from(d.accept)];
  for (let r = 1; r <= length; r++) {
    const prev = reach[r - 1];
    const cur = new Uint8Array(n);
    for (let q = 0; q < n; q++) for (let c = 0; c < d.nClasses && !cur[q]; c++) if (prev[d.trans[q * d.nClasses + c]]) cur[q] = 1;
    reach.push(cur);
  }
  let q = 0;
  let out = '';
  let digits = 0;
  for (let k = 0; k < length; k++) {
    const left = reach[length - k - 1];
    const ideal = IDEAL_DIGITS.charCodeAt(digits % IDEAL_DIGITS.length);
    let code = -1;
    const t = d.step(q, ideal);
    if (t >= 0 && left[t]) code = ideal;
    else {
      for (const c of CANDIDATES) {
        const u = d.step(q, c);
        if (u >= 0 && left[u]) {
          code = c;
          break;
        }
      }
    }
    if (code < 0) return shortest;
    q = d.step(q, code);
    out += String.fromCharCode(code);
    // A leading country code 1 (`1NXX…`, `+1NXX…`) does not use up an ideal digit.
    if (code >= 0x30 && code <= 0x39 && !(code === 0x31 && digits === 0)) digits++;
  }
  return out;
}
