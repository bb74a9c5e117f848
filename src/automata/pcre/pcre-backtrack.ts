/**
 * A PCRE1-compatible backtracking matcher for the dialplan expressions JavaScript's RegExp cannot
 * run with PCRE's meaning. FreeSWITCH 1.10.12 compiles every condition with PCRE 8.x
 * (src/switch_regex.c switch_regex_perform: pcre_compile, then pcre_exec with a 30-int ovector),
 * so this follows pcre_compile.c / pcre_exec.c as documented in pcrepattern(3):
 *
 * - option settings anywhere (`(?i)`, `(?-i)`, `(?s)`, `(?m)`, `(?x)`, `(?U)`, scoped `(?i:…)`):
 *   a setting inside a group lasts to the end of that group, into its later alternatives too;
 * - possessive quantifiers (`\d++`), atomic groups (`(?>…)`), conditionals (`(?(1)…|…)`,
 *   `(?(<name>)…)`, `(?(R)…)`, `(?(DEFINE)…)`, an assertion as condition), back-references
 *   (`\1`, `\g{-1}`, `\k<n>`, `(?P=n)`: a reference to an unset group fails, unlike JavaScript),
 *   recursion and subroutine calls (`(?R)`, `(?1)`, `(?&n)`: atomic in PCRE1, their captures
 *   revert), branch reset `(?|…)`, `\K`, `\G`, `\Q…\E`, `\h \v \R`, POSIX classes;
 * - lookbehind: each top-level alternative must have a fixed length, else pcre_compile fails with
 *   "lookbehind assertion is not fixed length" — a compile error, which switch_regex_perform
 *   logs and treats as "no match".
 *
 * Without PCRE_UTF8 the subject and the pattern are bytes: both are matched as UTF-8 bytes here,
 * with PCRE's default ("C" locale) character tables: `\d \w \s` and caseless matching are ASCII.
 * Not supported (reported as not modelled): backtracking verbs `(*…)`, `\p`/`\X` (Unicode
 * properties), callouts. Matching has a step budget; past it the answer is "unknown", never a guess.
 */

export type PcreCompiled =
  | {
      kind: 'program';
      root: Node;
      groups: number;
      anchoredStart: boolean;
      /**
       * Tried at the start only, with no quantifier of variable count and no recursion, and with
       * few enough ways through it: a match never takes more than a fixed number of steps
       * (boundedWork), whatever the subject's length — and never recurses deeper than the pattern.
       */
      boundedWork: boolean;
    }
  | { kind: 'invalid'; message: string; offset: number }
  | { kind: 'unsupported'; construct: string; offset: number };

interface Opts {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
  U: boolean;
}

type Node =
  | { t: 'empty' }
  | { t: 'char'; c: number; ci: boolean }
  | { t: 'set'; bits: Uint8Array }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; index: number; body: Node }
  | { t: 'atomic'; body: Node }
  | { t: 'look'; behind: boolean; neg: boolean; alts: Node[]; lengths: number[] }
  | { t: 'repeat'; body: Node; min: number; max: number; mode: 'greedy' | 'lazy' | 'possessive' }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'A' | 'Z' | 'z' | 'G' | 'b' | 'B'; multi: boolean }
  | { t: 'backref'; index: number; name?: string; ci: boolean }
  | { t: 'cond'; test: CondTest; yes: Node; no: Node }
  | { t: 'call'; index: number; name?: string }
  | { t: 'keep' };

type CondTest = { kind: 'group'; index: number; name?: string } | { kind: 'look'; node: Node } | { kind: 'recursion' } | { kind: 'define' };

class PcreError {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly unsupported = false,
  ) {}
}

const INFINITE = Number.MAX_SAFE_INTEGER;
export const PARENS_NEST_LIMIT = 250;

function bitsOf(test: (c: number) => boolean): Uint8Array {
  const b = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (test(c)) b[c] = 1;
  return b;
}
const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isWord = (c: number) => isDigit(c) || isUpper(c) || isLower(c) || c === 95;
// PCRE 8.34+: \s is Perl's space set, VT included.
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isHSpace = (c: number) => c === 9 || c === 32 || c === 0xa0;
const isVSpace = (c: number) => (c >= 10 && c <= 13) || c === 0x85;
const fold = (c: number) => (isUpper(c) ? c + 32 : c);

/** pcre_compile.c posix_names / posix_class_maps, with the "C" locale tables. */
const POSIX: Record<string, (c: number) => boolean> = {
  alpha: (c) => isUpper(c) || isLower(c),
  lower: isLower,
  upper: isUpper,
  alnum: (c) => isUpper(c) || isLower(c) || isDigit(c),
  ascii: (c) => c < 128,
  blank: (c) => c === 9 || c === 32,
  cntrl: (c) => c < 32 || c === 127,
  digit: isDigit,
  graph: (c) => c > 32 && c < 127,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => (c > 32 && c < 127 && !isWord(c)) || c === 95,
  space: isSpace,
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

const CLASS_ESCAPES: Record<string, (c: number) => boolean> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWord,
  W: (c) => !isWord(c),
  s: isSpace,
  S: (c) => !isSpace(c),
  h: isHSpace,
  H: (c) => !isHSpace(c),
  v: isVSpace,
  V: (c) => !isVSpace(c),
};

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };

/** A byte string (each char code 0–255) of `s` as UTF-8: what pcre_exec sees without PCRE_UTF8. */
export function toBytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}
export function fromBytes(b: string): string {
  return Buffer.from(b, 'latin1').toString('utf8');
}

class Parser {
  i = 0;
  groupCount = 0;
  readonly names = new Map<string, number>();
  readonly groupNodes = new Map<number, Node>();
  readonly pendingRefs: { node: { index: number; name?: string }; offset: number }[] = [];
  constructor(readonly p: string) {}

  error(message: string, offset = this.i): never {
    throw new PcreError(message, offset);
  }
  unsupported(construct: string, offset = this.i): never {
    throw new PcreError(construct, offset, true);
  }

  parse(opts: Opts): Node {
    const root = this.alternation(opts);
    if (this.i < this.p.length) this.error('unmatched parentheses', this.i); // a ')' at top level
    for (const r of this.pendingRefs) {
      if (r.node.name !== undefined) {
        const idx = this.names.get(r.node.name);
        if (idx === undefined) this.error('reference to non-existent subpattern', r.offset);
        r.node.index = idx;
      } else if (r.node.index > this.groupCount) this.error('reference to non-existent subpattern', r.offset);
    }
    return root;
  }

  alternation(opts: Opts): Node {
    const alts = [this.sequence(opts)];
    while (this.p[this.i] === '|') {
      this.i++;
      alts.push(this.sequence(opts));
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  /** Branch reset (?|…): every alternative numbers its groups from the same start. */
  branchReset(opts: Opts): Node {
    const start = this.groupCount;
    let highest = start;
    const alts: Node[] = [];
    for (;;) {
      this.groupCount = start;
      alts.push(this.sequence(opts));
      highest = Math.max(highest, this.groupCount);
      if (this.p[this.i] !== '|') break;
      this.i++;
    }
    this.groupCount = highest;
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  skipExtended(opts: Opts): void {
    if (!opts.x) return;
    for (;;) {
      const c = this.p[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.i++;
      else if (c === '#') {
        while (this.i < this.p.length && this.p[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  sequence(opts: Opts): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipExtended(opts);
      if (this.i >= this.p.length) break;
      const c = this.p[this.i];
      if (c === '|' || c === ')') break;
      const atom = this.atom(opts, items);
      if (atom === null) continue;
      this.skipExtended(opts);
      items.push(this.quantified(atom, opts));
    }
    return items.length === 1 ? items[0] : items.length === 0 ? { t: 'empty' } : { t: 'seq', items };
  }

  quantifier(): { min: number; max: number; len: number } | null {
    const c = this.p[this.i];
    if (c === '*') return { min: 0, max: INFINITE, len: 1 };
    if (c === '+') return { min: 1, max: INFINITE, len: 1 };
    if (c === '?') return { min: 0, max: 1, len: 1 };
    if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return null; // not a quantifier: a literal {
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? INFINITE : Number(m[3]);
      if (min > 65535 || (max !== INFINITE && max > 65535)) this.error('number too big in {} quantifier', this.i + m[0].length - 1);
      if (max < min) this.error('numbers out of order in {} quantifier', this.i + m[0].length - 1);
      return { min, max, len: m[0].length };
    }
    return null;
  }

  quantified(atom: Node, opts: Opts): Node {
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.t === 'assert' || atom.t === 'keep' || atom.t === 'empty') this.error('nothing to repeat', this.i);
    this.i += q.len;
    let mode: 'greedy' | 'lazy' | 'possessive' = opts.U ? 'lazy' : 'greedy';
    if (this.p[this.i] === '?') {
      mode = opts.U ? 'greedy' : 'lazy';
      this.i++;
    } else if (this.p[this.i] === '+') {
      mode = 'possessive';
      this.i++;
    }
    // An assertion repeated: PCRE treats any maximum above 1 as 1.
    const max = atom.t === 'look' ? Math.min(q.max, 1) : q.max;
    const node: Node = { t: 'repeat', body: atom, min: atom.t === 'look' ? Math.min(q.min, 1) : q.min, max, mode };
    this.skipExtended(opts);
    if (this.quantifier()) this.error('nothing to repeat', this.i);
    return node;
  }

  /** One atom; null when the construct consumed was no atom (an option setting, a comment, \E). */
  atom(opts: Opts, items: Node[]): Node | null {
    const p = this.p;
    const c = p[this.i];
    if (c === '(') return this.group(opts);
    if (c === '[') return this.charClass(opts);
    if (c === '*' || c === '+' || c === '?') this.error('nothing to repeat', this.i);
    if (c === '{' && this.quantifier()) this.error('nothing to repeat', this.i);
    this.i++;
    if (c === '.') return { t: 'set', bits: bitsOf((x) => opts.s || x !== 10) };
    if (c === '^') return { t: 'assert', kind: 'bol', multi: opts.m };
    if (c === '$') return { t: 'assert', kind: 'eol', multi: opts.m };
    if (c === '\\') return this.escape(opts, items);
    return this.literal(c.charCodeAt(0), opts);
  }

  literal(code: number, opts: Opts): Node {
    return { t: 'char', c: opts.i ? fold(code) : code, ci: opts.i && (isUpper(code) || isLower(code)) };
  }

  /** After a backslash outside a class. */
  escape(opts: Opts, items: Node[]): Node | null {
    const p = this.p;
    const at = this.i - 1;
    if (this.i >= p.length) this.error('\\ at end of pattern', at);
    const n = p[this.i++];
    if (n in CLASS_ESCAPES) return { t: 'set', bits: bitsOf(CLASS_ESCAPES[n]) };
    if (n in SIMPLE_ESCAPES) return this.literal(SIMPLE_ESCAPES[n], opts);
    switch (n) {
      case 'A': return { t: 'assert', kind: 'A', multi: false };
      case 'Z': return { t: 'assert', kind: 'Z', multi: false };
      case 'z': return { t: 'assert', kind: 'z', multi: false };
      case 'G': return { t: 'assert', kind: 'G', multi: false };
      case 'b': return { t: 'assert', kind: 'b', multi: false };
      case 'B': return { t: 'assert', kind: 'B', multi: false };
      case 'K': return { t: 'keep' };
      case 'N': return { t: 'set', bits: bitsOf((x) => x !== 10) };
      case 'C': return { t: 'set', bits: bitsOf(() => true) };
      case 'R': {
        // (?>\r\n|\n|\x0b|\f|\r|\x85)
        const crlf: Node = { t: 'seq', items: [{ t: 'char', c: 13, ci: false }, { t: 'char', c: 10, ci: false }] };
        return { t: 'atomic', body: { t: 'alt', alts: [crlf, { t: 'set', bits: bitsOf(isVSpace) }] } };
      }
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const lit = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? p.length : end + 2;
        if (lit.length === 0) return null;
        // Each literal character is an atom: a following quantifier applies to the last one.
        for (let k = 0; k < lit.length - 1; k++) items.push(this.literal(lit.charCodeAt(k), opts));
        return this.literal(lit.charCodeAt(lit.length - 1), opts);
      }
      case 'E': return null;
      case 'x': return this.literal(this.hexEscape(at), opts);
      case 'c': {
        if (this.i >= p.length) this.error('\\c at end of pattern', at);
        const ch = p.charCodeAt(this.i++);
        return this.literal((isLower(ch) ? ch - 32 : ch) ^ 0x40, opts);
      }
      case 'g': return this.gEscape(opts, at);
      case 'k': {
        const m = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(p.slice(this.i));
        if (!m) this.error('\\k is not followed by a braced, angle-bracketed, or quoted name', at);
        this.i += m[0].length;
        return this.backref(0, opts, at, m[1] ?? m[2] ?? m[3]);
      }
      case 'p': case 'P': case 'X': return this.unsupported(`\\${n} (Unicode property)`, at);
      case 'L': case 'l': case 'U': case 'u': return this.error(`PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u`, at);
      default: break;
    }
    if (n >= '1' && n <= '9') {
      // pcrepattern "Non-printing characters": below 10, or no more than the groups so far → back-reference; else octal.
      const m = /^\d+/.exec(p.slice(this.i - 1)) as RegExpExecArray;
      const num = Number(m[0]);
      if (num < 10 || num <= this.groupCount) {
        this.i += m[0].length - 1;
        return this.backref(num, opts, at);
      }
      if (n >= '8') return this.literal(n.charCodeAt(0), opts);
    }
    if (n >= '0' && n <= '7') {
      const m = /^[0-7]{1,3}/.exec(p.slice(this.i - 1)) as RegExpExecArray;
      this.i += m[0].length - 1;
      return this.literal(parseInt(m[0], 8) & 0xff, opts);
    }
    return this.literal(n.charCodeAt(0), opts); // an unknown escape of a non-alphanumeric (or letter): the character itself
  }

  hexEscape(at: number): number {
    const p = this.p;
    if (p[this.i] === '{') {
      const m = /^\{([0-9a-fA-F]+)\}/.exec(p.slice(this.i));
      if (!m) return 0; // PCRE1: \x{ not followed by hex digits and } is \x0 then literal {
      this.i += m[0].length;
      const v = parseInt(m[1], 16);
      if (v > 255) this.error('character value in \\x{} or \\o{} is too large', at);
      return v;
    }
    const m = /^[0-9a-fA-F]{0,2}/.exec(p.slice(this.i)) as RegExpExecArray;
    this.i += m[0].length;
    return m[0] ? parseInt(m[0], 16) : 0;
  }

  gEscape(opts: Opts, at: number): Node {
    const p = this.p;
    const rest = p.slice(this.i);
    let m = /^(?:\{(-?\d+)\}|(-?\d+))/.exec(rest);
    if (m) {
      this.i += m[0].length;
      let num = Number(m[1] ?? m[2]);
      if (num === 0) this.error('a numbered reference must not be zero', at);
      if (num < 0) {
        num = this.groupCount + 1 + num;
        if (num <= 0) this.error('reference to non-existent subpattern', at);
      }
      return this.backref(num, opts, at);
    }
    m = /^\{([A-Za-z_]\w*)\}/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return this.backref(0, opts, at, m[1]);
    }
    m = /^(?:<([A-Za-z_]\w*|[+-]?\d+)>|'([A-Za-z_]\w*|[+-]?\d+)')/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return this.call(m[1] ?? m[2], at);
    }
    return this.error('\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number', at);
  }

  backref(index: number, opts: Opts, at: number, name?: string): Node {
    const node = { t: 'backref' as const, index, name, ci: opts.i };
    this.pendingRefs.push({ node, offset: at });
    return node;
  }

  /** A subroutine call / recursion by number (absolute or relative), by name, or R. */
  call(ref: string, at: number): Node {
    let index: number;
    let name: string | undefined;
    if (ref === 'R' || ref === '0') index = 0;
    else if (/^[+-]\d+$/.test(ref)) {
      const off = Number(ref);
      index = off < 0 ? this.groupCount + 1 + off : this.groupCount + off;
      if (index <= 0) this.error('reference to non-existent subpattern', at);
    } else if (/^\d+$/.test(ref)) index = Number(ref);
    else {
      index = 0;
      name = ref;
    }
    const node = { t: 'call' as const, index, name };
    if (index !== 0 || name !== undefined) this.pendingRefs.push({ node, offset: at });
    return node;
  }

  depth = 0;

  group(opts: Opts): Node | null {
    // pcre_compile.c: PARENS_NEST_LIMIT (250 by default).
    if (++this.depth > PARENS_NEST_LIMIT) this.error('parentheses are too deeply nested', this.i);
    try {
      return this.groupBody(opts);
    } finally {
      this.depth--;
    }
  }

  groupBody(opts: Opts): Node | null {
    const p = this.p;
    const at = this.i;
    const rest = p.slice(at);
    if (rest.startsWith('(*')) return this.unsupported('backtracking verb (*…)', at);
    const inner = { ...opts };
    let m: RegExpExecArray | null;
    const closeGroup = (): void => {
      if (p[this.i] !== ')') this.error('missing )', this.i);
      this.i++;
    };
    if (!rest.startsWith('(?')) {
      this.i++;
      const index = ++this.groupCount;
      const body = this.alternation(inner);
      closeGroup();
      const node: Node = { t: 'group', index, body };
      this.groupNodes.set(index, node);
      return node;
    }
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', at);
      if (end < 0) this.error('missing ) after comment', p.length);
      this.i = end + 1;
      return null;
    }
    const simple: Record<string, 'noncap' | 'atomic' | 'reset' | 'la' | 'nla' | 'lb' | 'nlb'> = { '(?:': 'noncap', '(?>': 'atomic', '(?|': 'reset', '(?=': 'la', '(?!': 'nla', '(?<=': 'lb', '(?<!': 'nlb' };
    for (const [open, kind] of Object.entries(simple)) {
      if (!rest.startsWith(open)) continue;
      this.i += open.length;
      if (kind === 'reset') {
        const body = this.branchReset(inner);
        closeGroup();
        return body;
      }
      if (kind === 'lb' || kind === 'nlb') return this.lookbehind(inner, kind === 'nlb', at, closeGroup);
      const body = this.alternation(inner);
      closeGroup();
      if (kind === 'noncap') return body;
      if (kind === 'atomic') return { t: 'atomic', body };
      return { t: 'look', behind: false, neg: kind === 'nla', alts: [body], lengths: [0] };
    }
    if ((m = /^\(\?(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|P<([A-Za-z_]\w*)>)/.exec(rest))) {
      const name = (m[1] ?? m[2] ?? m[3]) as string;
      this.i += m[0].length;
      const index = ++this.groupCount;
      if (this.names.has(name) && this.names.get(name) !== index) this.error('two named subpatterns have the same name', at);
      this.names.set(name, index);
      const body = this.alternation(inner);
      closeGroup();
      const node: Node = { t: 'group', index, body };
      this.groupNodes.set(index, node);
      return node;
    }
    if ((m = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest))) {
      this.i += m[0].length;
      return this.backref(0, opts, at, m[1]);
    }
    if ((m = /^\(\?(?:(R|[+-]?\d+)|&([A-Za-z_]\w*)|P>([A-Za-z_]\w*))\)/.exec(rest))) {
      this.i += m[0].length;
      return this.call((m[1] ?? m[2] ?? m[3]) as string, at);
    }
    if (rest.startsWith('(?(')) return this.conditional(inner, at, closeGroup);
    if ((m = /^\(\?([imsxUJX]*)(?:-([imsxUJX]*))?([:)])/.exec(rest))) {
      const set = (letters: string, on: boolean, target: Opts) => {
        for (const l of letters) if (l === 'i' || l === 's' || l === 'm' || l === 'x' || l === 'U') target[l] = on;
      };
      this.i += m[0].length;
      if (m[3] === ')') {
        // An option setting without a group: the rest of the enclosing group (its later alternatives too).
        set(m[1], true, opts);
        set(m[2] ?? '', false, opts);
        return null;
      }
      set(m[1], true, inner);
      set(m[2] ?? '', false, inner);
      const body = this.alternation(inner);
      closeGroup();
      return body;
    }
    return this.error('unrecognized character after (? or (?-', at + 2);
  }

  lookbehind(inner: Opts, neg: boolean, at: number, closeGroup: () => void): Node {
    const body = this.alternation(inner);
    closeGroup();
    const alts = body.t === 'alt' ? body.alts : [body];
    const lengths = alts.map((a) => fixedLength(a, this.groupNodes));
    // pcre_compile.c: each top-level branch of a lookbehind must match a fixed number of characters.
    if (lengths.some((l) => l === null)) this.error('lookbehind assertion is not fixed length', this.i - 1);
    return { t: 'look', behind: true, neg, alts, lengths: lengths as number[] };
  }

  conditional(inner: Opts, at: number, closeGroup: () => void): Node {
    const p = this.p;
    this.i += 2; // past "(?"; at the condition's "("
    const rest = p.slice(this.i);
    let test: CondTest;
    let m: RegExpExecArray | null;
    if ((m = /^\((?:([+-]?\d+)|<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|(R\d*|R&[A-Za-z_]\w*)|(DEFINE)|([A-Za-z_]\w*))\)/.exec(rest))) {
      this.i += m[0].length;
      if (m[1] !== undefined) {
        let index = Number(m[1]);
        if (/^[+-]/.test(m[1])) index = index < 0 ? this.groupCount + 1 + index : this.groupCount + index;
        if (index <= 0) this.error('invalid condition (?(0)', at);
        const t = { kind: 'group' as const, index };
        this.pendingRefs.push({ node: t, offset: at });
        test = t;
      } else if (m[4] !== undefined) test = { kind: 'recursion' };
      else if (m[5] !== undefined) test = { kind: 'define' };
      else {
        const t = { kind: 'group' as const, index: 0, name: (m[2] ?? m[3] ?? m[6]) as string };
        this.pendingRefs.push({ node: t, offset: at });
        test = t;
      }
    } else if (/^\(\?(=|!|<=|<!)/.test(rest)) {
      const look = this.group(inner);
      if (!look || look.t !== 'look') return this.error('assertion expected after (?(', at);
      test = { kind: 'look', node: look };
    } else return this.error('malformed number or name after (?(', this.i);
    const yes = this.sequence(inner);
    let no: Node = { t: 'empty' };
    if (p[this.i] === '|') {
      this.i++;
      no = this.sequence(inner);
      if (p[this.i] === '|') this.error('conditional group contains more than two branches', this.i);
    }
    closeGroup();
    return { t: 'cond', test, yes, no };
  }

  charClass(opts: Opts): Node {
    const p = this.p;
    const start = this.i;
    this.i++;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const bits = new Uint8Array(256);
    let first = true;
    const add = (c: number) => {
      bits[c] = 1;
      if (opts.i && isUpper(c)) bits[c + 32] = 1;
      if (opts.i && isLower(c)) bits[c - 32] = 1;
    };
    for (;;) {
      if (this.i >= p.length) this.error('missing terminating ] for character class', start);
      let c = p[this.i];
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && /^\[([:.=])/.test(p.slice(this.i))) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.i));
        if (!m) {
          if (/^\[[.=]/.test(p.slice(this.i))) this.error('POSIX collating elements are not supported', this.i);
        } else {
          const f = Object.prototype.hasOwnProperty.call(POSIX, m[2]) ? POSIX[m[2]] : undefined;
          if (!f) this.error('unknown POSIX class name', this.i);
          for (let x = 0; x < 256; x++) if (m[1] ? !f(x) : f(x)) add(x);
          this.i += m[0].length;
          continue;
        }
      }
      let code: number;
      if (c === '\\') {
        const at = this.i;
        this.i++;
        if (this.i >= p.length) this.error('\\ at end of pattern', at);
        const n = p[this.i++];
        if (n in CLASS_ESCAPES) {
          const f = CLASS_ESCAPES[n];
          for (let x = 0; x < 256; x++) if (f(x)) bits[x] = 1;
          continue;
        }
        if (n === 'Q') {
          const end = p.indexOf('\\E', this.i);
          const lit = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
          this.i = end < 0 ? p.length : end + 2;
          for (const ch of lit) add(ch.charCodeAt(0));
          continue;
        }
        if (n === 'E') continue;
        if (n === 'b') code = 8;
        else if (n in SIMPLE_ESCAPES) code = SIMPLE_ESCAPES[n];
        else if (n === 'x') code = this.hexEscape(at);
        else if (n === 'c') {
          if (this.i >= p.length) this.error('\\c at end of pattern', at);
          const ch = p.charCodeAt(this.i++);
          code = (isLower(ch) ? ch - 32 : ch) ^ 0x40;
        } else if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(p.slice(this.i - 1)) as RegExpExecArray;
          this.i += m[0].length - 1;
          code = parseInt(m[0], 8) & 0xff;
        } else if (n === 'p' || n === 'P' || n === 'X') return this.unsupported(`\\${n} (Unicode property)`, at);
        else if ('LlUuN'.includes(n)) return this.error(`PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u`, at);
        else code = n.charCodeAt(0);
      } else {
        code = c.charCodeAt(0);
        this.i++;
      }
      // A range a-z (a '-' before ']' is literal).
      if (p[this.i] === '-' && p[this.i + 1] !== undefined && p[this.i + 1] !== ']') {
        const save = this.i;
        this.i++;
        c = p[this.i];
        let hi: number | null;
        if (c === '\\') {
          const n = p[this.i + 1];
          // pcre_compile.c compile_branch: the range's end goes through check_escape, which fails
          // with ERR1 on a backslash that ends the pattern ([a-\ is not a class left open).
          if (n === undefined) this.error('\\ at end of pattern', this.i);
          if (n in CLASS_ESCAPES) {
            // [a-\d]: the '-' is literal (PCRE1)
            this.i = save;
            add(code);
            continue;
          }
          this.i += 2;
          if (n === 'b') hi = 8;
          else if (n in SIMPLE_ESCAPES) hi = SIMPLE_ESCAPES[n];
          else if (n === 'x') hi = this.hexEscape(save);
          else if (n >= '0' && n <= '7') {
            const m = /^[0-7]{1,3}/.exec(p.slice(this.i - 1)) as RegExpExecArray;
            this.i += m[0].length - 1;
            hi = parseInt(m[0], 8) & 0xff;
          } else hi = n.charCodeAt(0);
        } else if (c === '[' && /^\[:/.test(p.slice(this.i))) {
          this.i = save;
          add(code);
          continue;
        } else {
          hi = c.charCodeAt(0);
          this.i++;
        }
        if (hi < code) this.error('range out of order in character class', this.i - 1);
        for (let x = code; x <= hi; x++) add(x);
        continue;
      }
      add(code);
    }
    if (negate) for (let x = 0; x < 256; x++) bits[x] ^= 1;
    return { t: 'set', bits };
  }
}

/** The fixed length a node matches, or null (pcre_compile.c find_fixedlength). */
function fixedLength(n: Node, groups: Map<number, Node>, depth = 0): number | null {
  if (depth > 50) return null;
  switch (n.t) {
    case 'empty': case 'assert': case 'look': case 'keep': return 0;
    case 'char': case 'set': return 1;
    case 'seq': {
      let sum = 0;
      for (const x of n.items) {
        const l = fixedLength(x, groups, depth + 1);
        if (l === null) return null;
        sum += l;
      }
      return sum;
    }
    case 'alt': {
      const ls = n.alts.map((a) => fixedLength(a, groups, depth + 1));
      return ls.every((l) => l !== null && l === ls[0]) ? ls[0] : null;
    }
    case 'group': case 'atomic': return fixedLength(n.body, groups, depth + 1);
    case 'repeat': {
      if (n.min !== n.max) return null;
      const l = fixedLength(n.body, groups, depth + 1);
      return l === null ? null : l * n.min;
    }
    case 'call': {
      const g = groups.get(n.index);
      return g ? fixedLength(g, groups, depth + 1) : null;
    }
    default: return null;
  }
}

/** Compiles a PCRE1 pattern with the options switch_regex_perform passes (`/re/i` → caseless, `/re/s` → dotall). */
export function compilePcre(pattern: string, flags: { i?: boolean; s?: boolean } = {}): PcreCompiled {
  const parser = new Parser(toBytes(pattern));
  try {
    // Flags given to pcre_compile apply from the start, as a leading (?is) would.
    const root = parser.parse({ i: Boolean(flags.i), s: Boolean(flags.s), m: false, x: false, U: false });
    const anchoredStart = startsAnchored(root);
    return { kind: 'program', root, groups: parser.groupCount, anchoredStart, boundedWork: anchoredStart && boundedWork(root) };
  } catch (e) {
    if (e instanceof PcreError) return e.unsupported ? { kind: 'unsupported', construct: e.message, offset: e.offset } : { kind: 'invalid', message: e.message, offset: e.offset };
    // Thousands of nested groups exhaust the parser's stack: reported, not a crash (PCRE's own
    // limit is 250 nested parentheses: "parentheses are too deeply nested").
    if (e instanceof RangeError) return { kind: 'invalid', message: 'parentheses are too deeply nested', offset: 0 };
    throw e;
  }
}

function startsAnchored(n: Node): boolean {
  if (n.t === 'assert') return n.kind === 'A' || (n.kind === 'bol' && !n.multi);
  if (n.t === 'seq') return n.items.length > 0 && startsAnchored(n.items[0]);
  if (n.t === 'alt') return n.alts.every(startsAnchored);
  if (n.t === 'group' || n.t === 'atomic') return startsAnchored(n.body);
  return false;
}

/**
 * Whether every match of `root` from one start position takes at most STEP_BUDGET steps whatever
 * the subject: no quantifier of variable count, no recursion or subroutine call, and the ways
 * through it (alternatives multiply along a sequence and within a counted repeat) times the nodes a
 * way visits within the budget. m() visits each node of a way once (a counted repeat's body once
 * per count), so ways × visits bounds the steps.
 */
function boundedWork(root: Node): boolean {
  const cap = STEP_BUDGET + 1;
  const mul = (a: number, b: number) => Math.min(cap, a * b);
  // [ways through the node, node visits along one way]
  const measure = (n: Node): [number, number] | null => {
    switch (n.t) {
      case 'seq': {
        let ways = 1;
        let visits = 1;
        for (const item of n.items) {
          const x = measure(item);
          if (!x) return null;
          ways = mul(ways, x[0]);
          visits = Math.min(cap, visits + x[1]);
        }
        return [ways, visits];
      }
      case 'alt': {
        let ways = 0;
        let visits = 1;
        for (const a of n.alts) {
          const x = measure(a);
          if (!x) return null;
          ways = Math.min(cap, ways + x[0]);
          visits = Math.max(visits, x[1] + 1);
        }
        return [ways, visits];
      }
      case 'look': {
        let ways = 0;
        let visits = 1;
        for (const a of n.alts) {
          const x = measure(a);
          if (!x) return null;
          ways = Math.min(cap, ways + x[0]);
          visits = Math.min(cap, visits + x[1]);
        }
        // tried in full at each visit, one way on afterwards
        return [1, Math.min(cap, mul(ways, visits) + 1)];
      }
      case 'group': case 'atomic': {
        const x = measure(n.body);
        return x && [x[0], x[1] + 1];
      }
      case 'repeat': {
        if (n.min !== n.max) return null;
        const x = measure(n.body);
        if (!x) return null;
        let ways = 1;
        for (let i = 0; i < n.min && ways < cap; i++) ways = mul(ways, x[0]);
        return [ways, Math.min(cap, n.min * x[1] + 1)];
      }
      case 'cond': {
        const y = measure(n.yes);
        const z = measure(n.no);
        return y && z && [Math.min(cap, y[0] + z[0]), Math.max(y[1], z[1]) + 1];
      }
      case 'call':
        return null;
      default:
        return [1, 1];
    }
  };
  const x = measure(root);
  return x !== null && x[0] * x[1] <= STEP_BUDGET;
}

/** The step budget of one match; past it the answer is unknown (PCRE's own limit, 10,000,000 match() calls, would make it "no match"). */
export const STEP_BUDGET = 200_000;
/** Subjects longer than this are not matched (the continuation-passing matcher recurses per character). */
export const BACKTRACK_INPUT_LIMIT = 512;

class BudgetExceeded {}

type Caps = number[];
type Cont = (pos: number, caps: Caps) => boolean;

export type PcreMatch = { kind: 'match'; captures: (string | undefined)[] } | { kind: 'nomatch' } | { kind: 'budget' };

/** pcre_exec from offset 0 with no options: the leftmost match, its captures (bytes turned back into text). */
export function execPcre(program: Extract<PcreCompiled, { kind: 'program' }>, subject: string): PcreMatch {
  const s = toBytes(subject);
  const n = s.length;
  let steps = 0;
  let recursion = 0;
  const groupNodes = new Map<number, Node>();
  collectGroups(program.root, groupNodes);
  const tick = () => {
    if (++steps > STEP_BUDGET) throw new BudgetExceeded();
  };
  const code = (pos: number) => s.charCodeAt(pos);
  const single = (node: Node, pos: number): boolean => {
    if (pos >= n) return false;
    if (node.t === 'char') return (node.ci ? fold(code(pos)) : code(pos)) === node.c;
    return (node as { bits: Uint8Array }).bits[code(pos)] === 1;
  };
  const word = (pos: number) => pos >= 0 && pos < n && isWord(code(pos));
  const setCap = (caps: Caps, index: number, start: number, end: number): Caps => {
    const c = caps.slice();
    c[2 * index] = start;
    c[2 * index + 1] = end;
    return c;
  };

  const m = (node: Node, pos: number, caps: Caps, k: Cont): boolean => {
    tick();
    switch (node.t) {
      case 'empty': return k(pos, caps);
      case 'char': case 'set': return single(node, pos) && k(pos + 1, caps);
      case 'seq': {
        const step = (idx: number, p: number, c: Caps): boolean => (idx === node.items.length ? k(p, c) : m(node.items[idx], p, c, (p2, c2) => step(idx + 1, p2, c2)));
        return step(0, pos, caps);
      }
      case 'alt':
        for (const a of node.alts) if (m(a, pos, caps, k)) return true;
        return false;
      case 'group':
        return m(node.body, pos, caps, (p, c) => k(p, setCap(c, node.index, pos, p)));
      case 'atomic': {
        const found: { p: number; c: Caps | null } = { p: 0, c: null };
        m(node.body, pos, caps, (p, c) => {
          found.p = p;
          found.c = c;
          return true;
        });
        return found.c !== null && k(found.p, found.c);
      }
      case 'look': {
        const found: { c: Caps | null } = { c: null };
        for (let a = 0; a < node.alts.length && found.c === null; a++) {
          const start = node.behind ? pos - node.lengths[a] : pos;
          if (start < 0) continue;
          m(node.alts[a], start, caps, (p, c) => {
            if (node.behind && p !== pos) return false;
            found.c = c;
            return true;
          });
        }
        if (node.neg) return found.c === null && k(pos, caps);
        return found.c !== null && k(pos, found.c);
      }
      case 'repeat': return repeat(node, pos, caps, k);
      case 'assert': {
        let ok: boolean;
        switch (node.kind) {
          case 'A': ok = pos === 0; break;
          case 'G': ok = pos === 0; break;
          case 'z': ok = pos === n; break;
          case 'Z': ok = pos === n || (pos === n - 1 && code(pos) === 10); break;
          case 'bol': ok = pos === 0 || (node.multi && pos < n && code(pos - 1) === 10); break;
          case 'eol': ok = pos === n || (node.multi ? code(pos) === 10 : pos === n - 1 && code(pos) === 10); break;
          case 'b': ok = word(pos - 1) !== word(pos); break;
          default: ok = word(pos - 1) === word(pos); break;
        }
        return ok && k(pos, caps);
      }
      case 'backref': {
        const st = caps[2 * node.index];
        const en = caps[2 * node.index + 1];
        if (st < 0 || en < 0) return false; // PCRE1: a reference to an unset group never matches
        const len = en - st;
        if (pos + len > n) return false;
        for (let j = 0; j < len; j++) {
          const a = code(st + j);
          const b = code(pos + j);
          if (node.ci ? fold(a) !== fold(b) : a !== b) return false;
        }
        return k(pos + len, caps);
      }
      case 'cond': {
        let yes: boolean;
        const t = node.test;
        if (t.kind === 'group') yes = caps[2 * t.index + 1] >= 0;
        else if (t.kind === 'recursion') yes = recursion > 0;
        else if (t.kind === 'define') return k(pos, caps); // (?(DEFINE)…) is skipped
        else {
          const after: { c: Caps | null } = { c: null };
          m(t.node, pos, caps, (_p, c) => {
            after.c = c;
            return true;
          });
          if (after.c !== null) return m(node.yes, pos, after.c, k);
          return m(node.no, pos, caps, k);
        }
        return m(yes ? node.yes : node.no, pos, caps, k);
      }
      case 'call': {
        const target = node.index === 0 ? program.root : (groupNodes.get(node.index) as Extract<Node, { t: 'group' }>).body;
        if (recursion > 200) throw new BudgetExceeded();
        recursion++;
        const end: { p: number | null } = { p: null };
        try {
          // PCRE1: a recursion / subroutine call is atomic, and the captures it sets revert afterwards.
          m(target, pos, caps, (p) => {
            end.p = p;
            return true;
          });
        } finally {
          recursion--;
        }
        return end.p !== null && k(end.p, caps);
      }
      case 'keep': return k(pos, setCap(caps, 0, pos, -1));
    }
  };

  const repeat = (node: Extract<Node, { t: 'repeat' }>, pos: number, caps: Caps, k: Cont): boolean => {
    const { body, min, max, mode } = node;
    if (body.t === 'char' || body.t === 'set') {
      let count = 0;
      while (count < max && single(body, pos + count)) count++;
      if (count < min) return false;
      if (mode === 'possessive') return k(pos + count, caps);
      if (mode === 'greedy') {
        for (let j = count; j >= min; j--) if (k(pos + j, caps)) return true;
        return false;
      }
      for (let j = min; j <= count; j++) if (k(pos + j, caps)) return true;
      return false;
    }
    if (mode === 'possessive') return m({ t: 'atomic', body: { ...node, mode: 'greedy' } }, pos, caps, k);
    const iterate = (count: number, p: number, c: Caps): boolean => {
      tick();
      const more = (): boolean =>
        count < max &&
        m(body, p, c, (p2, c2) => {
          // pcre_exec: an iteration that matched the empty string (past the minimum) is kept — its
          // captures too — but ends the loop.
          if (p2 === p && count >= min) return k(p2, c2);
          return iterate(count + 1, p2, c2);
        });
      if (mode === 'greedy') return more() || (count >= min && k(p, c));
      return (count >= min && k(p, c)) || more();
    };
    return iterate(0, pos, caps);
  };

  const initial: Caps = new Array<number>(2 * (program.groups + 1)).fill(-1);
  try {
    const last = program.anchoredStart ? 0 : n;
    for (let start = 0; start <= last; start++) {
      const r: { end: number; caps: Caps | null } = { end: 0, caps: null };
      m(program.root, start, initial, (p, c) => {
        r.end = p;
        r.caps = c;
        return true;
      });
      if (r.caps !== null) {
        const caps = r.caps.slice();
        caps[0] = caps[0] >= 0 ? caps[0] : start; // \K moved the start
        caps[1] = r.end;
        const out: (string | undefined)[] = [];
        for (let g = 0; g <= program.groups; g++) out.push(caps[2 * g] >= 0 && caps[2 * g + 1] >= 0 ? fromBytes(s.slice(caps[2 * g], caps[2 * g + 1])) : undefined);
        return { kind: 'match', captures: out };
      }
    }
    return { kind: 'nomatch' };
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return { kind: 'budget' };
    throw e;
  }
}

function collectGroups(n: Node, out: Map<number, Node>): void {
  switch (n.t) {
    case 'group': out.set(n.index, n); collectGroups(n.body, out); break;
    case 'seq': n.items.forEach((x) => collectGroups(x, out)); break;
    case 'alt': n.alts.forEach((x) => collectGroups(x, out)); break;
    case 'look': n.alts.forEach((x) => collectGroups(x, out)); break;
    case 'atomic': case 'repeat': collectGroups(n.body, out); break;
    case 'cond':
      if (n.test.kind === 'look') collectGroups(n.test.node, out);
      collectGroups(n.yes, out);
      collectGroups(n.no, out);
      break;
    default: break;
  }
}
