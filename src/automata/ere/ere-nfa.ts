/**
 * A POSIX ERE matcher without backtracking, for Kamailio's `=~` (rvalue.c / route.c: regcomp with
 * REG_EXTENDED | REG_NOSUB | REG_ICASE, then regexec: "is there a match anywhere?").
 *
 * The pattern is parsed the way glibc reads an ERE (bracket expressions with `[:class:]`, a
 * backslash literal inside brackets, GNU escapes \w \W \s \S \b \B \< \> outside them, any other
 * escaped character literal, `.` matching newline, `*` `+` `?` `{` with nothing before them
 * literal) and compiled to a Thompson NFA that is simulated state-set by state-set: time is
 * O(pattern × subject) whatever the pattern, so a config cannot make pbxlint hang with `(a|aa)*$`.
 * Back-references are not regular and are reported as unsupported.
 */

import { ownEntry } from '../../core/own';

export type CharTest = (c: string) => boolean;

/** The syntax tree of an ERE (exported for ere-re.ts, which turns it into the automata layer's Re). */
export type EreNode =
  | { t: 'char'; test: CharTest }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'wordb' | 'nwordb' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number /* -1 = unbounded */ }
  /** A parenthesised subexpression, numbered by its opening parenthesis (only with parseEre's `groups`). */
  | { t: 'group'; n: number; node: Node }
  | { t: 'empty' };

const CLASSES: Record<string, CharTest> = {
  alpha: (c) => /[A-Za-z]/.test(c),
  digit: (c) => c >= '0' && c <= '9',
  alnum: (c) => /[0-9A-Za-z]/.test(c),
  upper: (c) => c >= 'A' && c <= 'Z',
  lower: (c) => c >= 'a' && c <= 'z',
  space: (c) => ' \t\n\r\f\v'.includes(c),
  blank: (c) => c === ' ' || c === '\t',
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  print: (c) => c >= ' ' && c <= '~',
  graph: (c) => c > ' ' && c <= '~',
  cntrl: (c) => c < ' ' || c === '\x7f',
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};
type Node = EreNode;
const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

export class EreSyntaxError extends Error {}

/**
 * Parses an ERE into a syntax tree (glibc regcomp rules, see the file comment); throws
 * EreSyntaxError. With `groups`, each parenthesised subexpression is kept as a `group` node
 * numbered as regexec numbers its pmatch entries (by the opening parenthesis, from 1).
 */
export function parseEre(p: string, icase: boolean, groups = false): Node {
  let i = 0;
  let groupCount = 0;
  const fold = (test: CharTest): CharTest => (icase ? (c) => test(c) || test(c.toLowerCase()) || test(c.toUpperCase()) : test);
  const literal = (ch: string): Node => ({ t: 'char', test: fold((c) => c === ch) });

  const alternation = (depth: number): Node => {
    const alts: Node[] = [concatenation(depth)];
    while (p[i] === '|') {
      i++;
      alts.push(concatenation(depth));
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  };

  const concatenation = (depth: number): Node => {
    const items: Node[] = [];
    while (i < p.length && p[i] !== '|' && !(p[i] === ')' && depth > 0)) {
      let atom = atomAt(depth);
      // quantifiers; POSIX allows several in a row (a**), each applies to the previous result.
      // After '^' a '*' is an ordinary character (glibc), so anchors take none.
      for (;;) {
        if (atom.t === 'assert') break;
        const c = p[i];
        if (c === '*' || c === '+' || c === '?') {
          i++;
          atom = { t: 'rep', node: atom, min: c === '+' ? 1 : 0, max: c === '?' ? 1 : -1 };
        } else if (c === '{') {
          const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(p.slice(i));
          if (!m) break; // a '{' that starts no interval is literal (read by the next atomAt)
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
          if (min > 255 || max > 255 || (max !== -1 && max < min)) throw new EreSyntaxError(`invalid interval ${m[0]}`);
          i += m[0].length;
          atom = { t: 'rep', node: atom, min, max };
        } else break;
      }
      items.push(atom);
    }
    return items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0] : { t: 'cat', items };
  };

  const atomAt = (depth: number): Node => {
    const c = p[i];
    if (c === '(') {
      i++;
      const n = ++groupCount;
      const inner = alternation(depth + 1);
      if (p[i] !== ')') throw new EreSyntaxError('unmatched ( in regular expression');
      i++;
      return groups ? { t: 'group', n, node: inner } : inner;
    }
    if (c === ')') {
      i++;
      return literal(')'); // unmatched ')' at top level is literal in glibc
    }
    if (c === '^') {
      i++;
      return { t: 'assert', kind: 'bol' };
    }
    if (c === '$') {
      i++;
      return { t: 'assert', kind: 'eol' };
    }
    if (c === '.') {
      i++;
      return { t: 'char', test: () => true };
    }
    if (c === '[') return bracket();
    if (c === '\\') {
      const e = p[i + 1];
      if (e === undefined) throw new EreSyntaxError('trailing backslash');
      i += 2;
      if (e === 'w') return { t: 'char', test: (x) => isWord(x) };
      if (e === 'W') return { t: 'char', test: (x) => !isWord(x) };
      if (e === 's') return { t: 'char', test: CLASSES.space };
      if (e === 'S') return { t: 'char', test: (x) => !CLASSES.space(x) };
      if (e === 'b' || e === '<' || e === '>') return { t: 'assert', kind: 'wordb' };
      if (e === 'B') return { t: 'assert', kind: 'nwordb' };
      if (e === '`') return { t: 'assert', kind: 'bol' };
      if (e === "'") return { t: 'assert', kind: 'eol' };
      if (/[1-9]/.test(e)) throw new EreSyntaxError(`back-reference \\${e} is not supported`);
      return literal(e);
    }
    // '*', '+', '?' and '{' with nothing to repeat (at the start, after '(' or '|' or '^') are literal
    i++;
    return literal(c);
  };

  const bracket = (): Node => {
    i++;
    let neg = false;
    if (p[i] === '^') {
      neg = true;
      i++;
    }
    const tests: CharTest[] = [];
    let first = true;
    while (i < p.length) {
      const c = p[i];
      if (c === ']' && !first) {
        i++;
        const any = fold((x) => tests.some((t) => t(x)));
        return { t: 'char', test: neg ? (x) => !any(x) : any };
      }
      first = false;
      if (c === '[' && p[i + 1] === ':') {
        const close = p.indexOf(':]', i + 2);
        if (close < 0) throw new EreSyntaxError('unterminated [: class');
        const name = p.slice(i + 2, close);
        // Own entries only: [[:toString:]] is an unknown class (glibc REG_ECTYPE), not Object.prototype.toString.
        const cls = ownEntry(CLASSES, name);
        if (!cls) throw new EreSyntaxError(`unknown character class [:${name}:]`);
        tests.push(cls);
        i = close + 2;
        continue;
      }
      if (c === '[' && (p[i + 1] === '=' || p[i + 1] === '.')) {
        const end = p.indexOf(`${p[i + 1]}]`, i + 2);
        if (end < 0 || end - (i + 2) !== 1) throw new EreSyntaxError('collating elements are not supported');
        const ch = p[i + 2];
        tests.push((x) => x === ch);
        i = end + 2;
        continue;
      }
      // a range a-z (a '-' first or last is literal)
      if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
        const lo = c;
        const hi = p[i + 2];
        if (hi < lo) throw new EreSyntaxError(`invalid range ${lo}-${hi}`);
        tests.push((x) => x >= lo && x <= hi);
        i += 3;
        continue;
      }
      tests.push((x) => x === c); // a backslash is literal inside brackets
      i++;
    }
    throw new EreSyntaxError('unterminated [ bracket expression');
  };

  const tree = alternation(0);
  if (i < p.length) throw new EreSyntaxError(`unexpected ${p[i]}`);
  return tree;
}

// ---------------------------------------------------------------- NFA

type State =
  | { k: 'char'; test: CharTest; out: number }
  | { k: 'split'; a: number; b: number }
  | { k: 'assert'; kind: 'bol' | 'eol' | 'wordb' | 'nwordb'; out: number }
  | { k: 'match' };

/** States over this many mean a pattern built to explode ({255} inside {255}): refused. */
const MAX_STATES = 50_000;

class Builder {
  readonly states: State[] = [];
  add(s: State): number {
    if (this.states.length >= MAX_STATES) throw new EreSyntaxError(`pattern expands to more than ${MAX_STATES} states`);
    this.states.push(s);
    return this.states.length - 1;
  }
  /** Compiles `n` so that it continues to state `next`; returns its entry state. */
  build(n: Node, next: number): number {
    switch (n.t) {
      case 'empty':
        return next;
      case 'group':
        return this.build(n.node, next);
      case 'char':
        return this.add({ k: 'char', test: n.test, out: next });
      case 'assert':
        return this.add({ k: 'assert', kind: n.kind, out: next });
      case 'cat': {
        let entry = next;
        for (let j = n.items.length - 1; j >= 0; j--) entry = this.build(n.items[j], entry);
        return entry;
      }
      case 'alt': {
        let entry = this.build(n.alts[n.alts.length - 1], next);
        for (let j = n.alts.length - 2; j >= 0; j--) entry = this.add({ k: 'split', a: this.build(n.alts[j], next), b: entry });
        return entry;
      }
      case 'rep': {
        let entry = next;
        if (n.max === -1) {
          // x* : split → (x → back to split) | next
          const split = this.add({ k: 'split', a: -1, b: next });
          const body = this.build(n.node, split);
          (this.states[split] as { a: number }).a = body;
          entry = split;
        } else {
          // x{m,k}: k-m optional copies, each either taken or skipped
          for (let j = 0; j < n.max - n.min; j++) entry = this.add({ k: 'split', a: this.build(n.node, entry), b: entry });
        }
        for (let j = 0; j < n.min; j++) entry = this.build(n.node, entry);
        return entry;
      }
    }
  }
}

export type Matcher = (subject: string) => boolean;

/** Compiles an ERE; throws EreSyntaxError for what regcomp would reject or pbxlint does not support. */
function compile(pattern: string, icase: boolean): Matcher {
  const tree = parseEre(pattern, icase);
  const b = new Builder();
  const match = b.add({ k: 'match' });
  const start = b.build(tree, match);
  const states = b.states;
  return (s: string) => {
    const n = s.length;
    let current: number[] = [];
    let onList = new Int32Array(states.length).fill(-1);
    let gen = 0;
    const addState = (list: number[], id: number, pos: number, mark: Int32Array, stamp: number): boolean => {
      // iterative closure over split/assert states
      const stack = [id];
      while (stack.length) {
        const sid = stack.pop()!;
        if (mark[sid] === stamp) continue;
        mark[sid] = stamp;
        const st = states[sid];
        if (st.k === 'match') return true;
        if (st.k === 'split') {
          stack.push(st.b, st.a);
        } else if (st.k === 'assert') {
          const prev = pos > 0 ? s[pos - 1] : undefined;
          const next = pos < n ? s[pos] : undefined;
          const ok = st.kind === 'bol' ? pos === 0 : st.kind === 'eol' ? pos === n : st.kind === 'wordb' ? isWord(prev) !== isWord(next) : isWord(prev) === isWord(next);
          if (ok) stack.push(st.out);
        } else list.push(sid);
      }
      return false;
    };
    for (let pos = 0; pos <= n; pos++) {
      // unanchored search: a match may start at every position
      if (addState(current, start, pos, onList, gen)) return true;
      if (pos === n) break;
      const c = s[pos];
      const next: number[] = [];
      gen++;
      const nextMark = onList;
      for (const sid of current) {
        const st = states[sid] as { k: 'char'; test: CharTest; out: number };
        if (st.test(c) && addState(next, st.out, pos + 1, nextMark, gen)) return true;
      }
      current = next;
      onList = nextMark;
    }
    return false;
  };
}

const cache = new Map<string, Matcher | string>();

/** A matcher for `pattern`, or the reason it cannot be built (regcomp error, back-reference, size). */
export function ereMatcher(pattern: string, icase = true): Matcher | string {
  const key = `${icase ? 'i' : 'c'}${pattern}`;
  let m = cache.get(key);
  if (m === undefined) {
    try {
      m = compile(pattern, icase);
    } catch (e) {
      if (!(e instanceof EreSyntaxError)) throw e;
      m = e.message;
    }
    if (cache.size < 10_000) cache.set(key, m);
  }
  return m;
}
