/**
 * POSIX extended regular expressions translated to JavaScript RegExp, for `#!subst`/`#!substdef`
 * replacements (which need match positions). `=~` itself is evaluated by ereMatch below with the
 * backtracking-free matcher of ere-nfa.ts (Kamailio: rvalue.c / route.c regcomp with REG_EXTENDED |
 * REG_NOSUB | REG_ICASE, glibc).
 *
 * Only "does it match" matters (REG_NOSUB), and whether a match exists does not depend on POSIX
 * leftmost-longest versus JavaScript leftmost-first, so a faithful translation of the syntax is
 * enough. Differences handled here:
 * - inside a bracket expression a backslash is an ordinary character, `]` first is literal, and
 *   `[:digit:]`-style classes name character sets;
 * - outside brackets glibc knows `\w \W \s \S \b \B \< \>` (GNU extensions); any other escaped
 *   character stands for itself (`\d` is the letter d, not a digit);
 * - `.` matches any character including newline;
 * - a `*`, `+`, `?` or `{` with nothing to repeat is literal.
 * Nested quantifiers (`(a+)+`) can make a backtracking engine run for ever where glibc's DFA-like
 * matcher does not; such patterns are refused (the caller reports them as not modelled).
 */
import { ownEntry } from '../../core/own';
import { ereMatcher } from './ere-nfa';

export type EreResult = { ok: true; regex: RegExp } | { ok: false; error: string };

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

/** Subjects longer than this are not matched (Kamailio's MAX_URI_SIZE is 1024). */
export const MAX_SUBJECT = 4096;

const cache = new Map<string, EreResult>();

export function compileEre(pattern: string, icase = true): EreResult {
  const key = `${icase ? 'i' : 'c'}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = translate(pattern, icase);
  if (cache.size < 10000) cache.set(key, r);
  return r;
}

function escapeJs(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

function translate(p: string, icase: boolean): EreResult {
  let out = '';
  let i = 0;
  /** Whether the last emitted item can take a quantifier. */
  let canRepeat = false;
  /** Stack of "group contains a quantifier" flags, to detect nested quantifiers. */
  const groups: boolean[] = [];
  let lastGroupHadQuantifier = false;
  let nestedQuantifier = false;
  let groupCount = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '[') {
      const b = bracket(p, i);
      if (!b.ok) return { ok: false, error: b.error };
      out += b.js;
      i = b.end;
      canRepeat = true;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '\\') {
      const e = p[i + 1];
      if (e === undefined) return { ok: false, error: 'trailing backslash' };
      i += 2;
      if ('wWsSbB'.includes(e)) out += `\\${e}`;
      else if (e === '<' || e === '>') out += '\\b';
      else if (e === '`') out += '^';
      else if (e === "'") out += '$';
      else if (/[1-9]/.test(e)) {
        if (Number(e) > groupCount) return { ok: false, error: `back-reference \\${e} to a missing group` };
        out += `\\${e}`;
      } else out += escapeJs(e);
      canRepeat = !'bB<>`\''.includes(e);
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      groupCount++;
      out += '(';
      i++;
      canRepeat = false;
      continue;
    }
    if (c === ')') {
      if (groups.length === 0) {
        // POSIX: an unmatched ')' in an ERE is literal in glibc.
        out += '\\)';
        i++;
        canRepeat = true;
        continue;
      }
      lastGroupHadQuantifier = groups.pop()!;
      if (lastGroupHadQuantifier && groups.length) groups[groups.length - 1] = true;
      out += ')';
      i++;
      canRepeat = true;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let q = c;
      let end = i + 1;
      if (c === '{') {
        const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(p.slice(i));
        if (!m) {
          out += '\\{';
          i++;
          canRepeat = true;
          continue;
        }
        if (m[3] && Number(m[3]) < Number(m[1])) return { ok: false, error: `invalid interval ${m[0]}` };
        if (Number(m[1]) > 255 || (m[3] && Number(m[3]) > 255)) return { ok: false, error: `interval ${m[0]} exceeds RE_DUP_MAX (255)` };
        q = m[0];
        end = i + m[0].length;
      }
      if (!canRepeat) {
        out += escapeJs(c);
        i++;
        canRepeat = true;
        continue;
      }
      if (lastGroupHadQuantifier && q !== '?') nestedQuantifier = true;
      if (groups.length) groups[groups.length - 1] = true;
      out += q;
      i = end;
      // POSIX allows stacked quantifiers (a**); JavaScript does not. Keep one.
      while (i < p.length && '*+?'.includes(p[i])) i++;
      canRepeat = false;
      continue;
    }
    if (c === '|') {
      out += '|';
      i++;
      canRepeat = false;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '^' || c === '$') {
      out += c;
      i++;
      canRepeat = false;
      continue;
    }
    if (c === '.') {
      out += '[\\s\\S]';
      i++;
      canRepeat = true;
      lastGroupHadQuantifier = false;
      continue;
    }
    out += escapeJs(c);
    i++;
    canRepeat = true;
    lastGroupHadQuantifier = false;
  }
  if (groups.length) return { ok: false, error: 'unmatched ( in regular expression' };
  if (nestedQuantifier) return { ok: false, error: 'nested quantifiers (catastrophic backtracking risk); not evaluated' };
  try {
    return { ok: true, regex: new RegExp(out, icase ? 'i' : '') };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function bracket(p: string, start: number): { ok: true; js: string; end: number } | { ok: false; error: string } {
  let i = start + 1;
  let neg = false;
  if (p[i] === '^') {
    neg = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    const c = p[i];
    if (c === ']' && !first) {
      return { ok: true, js: `[${neg ? '^' : ''}${body}]`, end: i + 1 };
    }
    const wasFirst = first;
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      if (close < 0) return { ok: false, error: 'unterminated [: class' };
      const name = p.slice(i + 2, close);
      // Own entries only: [[:toString:]] is an unknown class (glibc REG_ECTYPE), not Object.prototype.toString.
      const set = ownEntry(CLASSES, name);
      if (set === undefined) return { ok: false, error: `unknown character class [:${name}:]` };
      body += set;
      i = close + 2;
      continue;
    }
    if (c === '[' && (p[i + 1] === '=' || p[i + 1] === '.')) {
      const end = p.indexOf(`${p[i + 1]}]`, i + 2);
      if (end < 0) return { ok: false, error: 'unterminated collating element' };
      const inner = p.slice(i + 2, end);
      if (inner.length !== 1) return { ok: false, error: `collating element [${p[i + 1]}${inner}${p[i + 1]}] not supported` };
      body += escapeJs(inner);
      i = end + 2;
      continue;
    }
    if (c === '-' && !wasFirst && p[i + 1] !== ']' && body.length > 0) {
      body += '-';
      i++;
      continue;
    }
    // A backslash is literal inside a POSIX bracket expression.
    body += c === '\\' ? '\\\\' : c === ']' || c === '[' || c === '^' || c === '-' || c === '/' ? `\\${c}` : c;
    i++;
  }
  return { ok: false, error: 'unterminated [ bracket expression' };
}

/**
 * Tests `subject` against an ERE the way Kamailio's `=~` does (case-insensitive search); `null`
 * when the pattern cannot be evaluated (regcomp would reject it, or it uses a back-reference).
 * Uses the backtracking-free matcher of ere-nfa.ts, so no pattern can make it run away.
 */
export function ereMatch(pattern: string, subject: string): boolean | null {
  const m = ereMatcher(pattern, true);
  if (typeof m === 'string' || subject.length > MAX_SUBJECT) return null;
  return m(subject);
}

/** Why `pattern` cannot be evaluated, or null when it can. */
export function ereProblem(pattern: string): string | null {
  const m = ereMatcher(pattern, true);
  return typeof m === 'string' ? m : null;
}
