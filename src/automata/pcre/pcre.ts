/**
 * Dialplan expressions as switch_regex.c `switch_regex_perform` compiles them in FreeSWITCH
 * 1.10.12 — PCRE 8.x (`pcre_compile`, no default flags: case-sensitive, unanchored); a leading `_`
 * goes through `switch_ast2regex` first; `/re/flags` is unwrapped with flags `i` and `s`.
 *
 * Where PCRE and JavaScript agree, the expression becomes a JavaScript RegExp (rewriting what
 * differs in spelling: `\A`, `\Z`, `$`, `.`, `\h`, `\Q…\E`, POSIX classes, a leading `(?i)`,
 * `(?P<n>`). Where they do not — inline options mid-pattern, possessive quantifiers, atomic groups,
 * conditionals, recursion, back-references (unset: no match in PCRE), lookbehind (fixed length
 * only in PCRE1: anything else is a compile error) — the expression is run by pcre-backtrack.ts
 * (possessive quantifiers and atomic groups on one character set, and `(?i)` / `(?-i)` settings,
 * also get a JavaScript spelling with the same matches, read for the language only: possessiveText,
 * atomicBody, modifier groups `(?i:…)`),
 * a PCRE1-compatible backtracking matcher with a step budget. What neither covers (backtracking
 * verbs, Unicode properties) is reported as not modelled, never guessed. A RegExp with nested
 * quantifiers is marked `risky`: the caller bounds the input it matches, so a pathological
 * expression cannot hang a run.
 */

import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { ownEntry } from '../../core/own';
import { BACKTRACK_INPUT_LIMIT, compilePcre, execPcre, PARENS_NEST_LIMIT, type PcreCompiled } from './pcre-backtrack';

export type CompiledExpression =
  /** `pcre`: the pattern and flags as pcre_compile gets them, for subjects RegExp would read otherwise (non-ASCII). */
  | { kind: 'ok'; regex: RegExp; source: string; risky: boolean; pcre: { pattern: string; i: boolean; s: boolean } }
  /** Run by the PCRE1-compatible backtracking matcher (constructs RegExp lacks or means otherwise). */
  /**
   * `js`: where the pattern spells in JavaScript and only a lookbehind or a back-reference sent it
   * here (NEEDS_PCRE), that spelling — matched by PCRE, read only for its language (pcre-re.ts).
   */
  | { kind: 'pcre'; program: Extract<PcreCompiled, { kind: 'program' }>; source: string; risky?: boolean; js?: { source: string; flags: string; risky: boolean } }
  | { kind: 'invalid'; message: string; offset: number; source: string }
  | { kind: 'unsupported'; construct: string; offset: number; source: string };

/** switch_utils.c switch_ast2regex: N X Z and `.` (zero or more!) converted; every other character copied as is. */
export function ast2regex(pattern: string): string {
  let out = '^';
  for (const c of pattern) out += c === 'N' ? '[2-9]' : c === 'X' ? '[0-9]' : c === 'Z' ? '[1-9]' : c === '.' ? '.*' : c;
  return out + '$';
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', word: '\\w', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~', ascii: '\\x00-\\x7f',
};

const cache = new Map<string, CompiledExpression>();

/** Compiles a dialplan expression (after variable expansion) the way switch_regex_perform would. */
export function compileExpression(expression: string): CompiledExpression {
  const hit = cache.get(expression);
  if (hit) return hit;
  const result = compileUncached(expression);
  if (cache.size > 10000) cache.clear();
  cache.set(expression, result);
  return result;
}

function compileUncached(expression: string): CompiledExpression {
  let pattern = expression;
  let flags = '';
  if (pattern.startsWith('_')) {
    const converted = ast2regex(pattern.slice(1));
    if (converted !== pattern.slice(1)) pattern = converted;
  }
  if (pattern.startsWith('/')) {
    const last = pattern.lastIndexOf('/');
    if (last <= 0) return { kind: 'invalid', message: "missing ending '/' delimiter", offset: pattern.length, source: expression };
    const opts = pattern.slice(last + 1);
    pattern = pattern.slice(1, last);
    if (opts.includes('i')) flags += 'i';
    if (opts.includes('s')) flags += 's';
  }
  const t = translate(pattern, flags.includes('s'));
  if ('message' in t) return { kind: 'invalid', message: t.message, offset: t.offset, source: expression };
  if ('construct' in t || NEEDS_PCRE.test(pattern) || t.quantifiedCapture || t.emulated) {
    const p = compilePcre(pattern, { i: flags.includes('i'), s: flags.includes('s') });
    if (p.kind === 'program') {
      const js = !('construct' in t) && !t.quantifiedCapture ? { source: t.source, flags: [...new Set(flags + t.flags)].join(''), risky: t.risky } : caselessTail(pattern, flags);
      return { kind: 'pcre', program: p, source: expression, risky: 'risky' in t && t.risky, js };
    }
    // pcre_compile failed: switch_regex_perform logs "COMPILE ERROR" and the condition is false.
    if (p.kind === 'invalid') return { kind: 'invalid', message: p.message, offset: p.offset, source: expression };
    return { kind: 'unsupported', construct: p.construct, offset: p.offset, source: expression };
  }
  try {
    const regex = new RegExp(t.source, [...new Set(flags + t.flags)].join(''));
    return { kind: 'ok', regex, source: expression, risky: t.risky, pcre: { pattern, i: flags.includes('i'), s: flags.includes('s') } };
  } catch (e) {
    return { kind: 'invalid', message: (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, ''), offset: 0, source: expression };
  }
}

/**
 * `X(?i)Y` with the option set once, at the top level, and no `|` at the top level: PCRE reads Y
 * caselessly (pcre_compile: an option change at the top level applies to the remainder of the
 * pattern). Its JavaScript spelling `X(?i:Y)` (an ES2025 modifier group), for the language only
 * (pcre-re.ts); route matches it with the PCRE matcher. Undefined for any other shape.
 */
function caselessTail(pattern: string, flags: string): { source: string; flags: string; risky: boolean } | undefined {
  let depth = 0;
  let inClass = false;
  let at = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') return undefined;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      // a ']' first in a class is a literal
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?i)', i)) {
        if (depth !== 0 || at >= 0) return undefined;
        at = i;
        i += 3;
        continue;
      }
      depth++;
    } else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return undefined;
  }
  if (at <= 0 || inClass || depth !== 0) return undefined;
  const dotAll = flags.includes('s');
  const x = translate(pattern.slice(0, at), dotAll);
  const y = translate(pattern.slice(at + 4), dotAll);
  if (!('source' in x) || !('source' in y) || y.flags || x.quantifiedCapture || y.quantifiedCapture) return undefined;
  if (/\(\?/.test((x.source + y.source).replace(/\(\?(?:[:=!]|<[=!])/g, ''))) return undefined; // another inline option
  return { source: `${x.source}(?i:${y.source})`, flags: [...new Set(flags + x.flags)].join(''), risky: x.risky || y.risky };
}

/**
 * Translatable, but PCRE1 means something else: a lookbehind (PCRE1 wants a fixed length; JS takes
 * any) and back-references (to an unset group: no match in PCRE, the empty string in JS).
 */
const NEEDS_PCRE = /\(\?<[=!]|\\[1-9gk]|\(\?P=/;

/**
 * `emulated`: the source spells a possessive quantifier or an atomic group with a negative
 * lookahead (possessiveText, atomicBody) — the same matches in the same order, captures included,
 * but route keeps matching the PCRE pattern with the PCRE matcher; the spelling is read for its
 * language and captures only (pcre-re.ts, observe.ts).
 */
type Translation = { source: string; flags: string; risky: boolean; quantifiedCapture: boolean; emulated: boolean } | { construct: string; offset: number } | { message: string; offset: number };

/**
 * `A{min,max}+` (A one character of a set) in JavaScript, where possessive quantifiers do not
 * exist. pcre_exec (pcre_exec.c match(), OP_*PLUS / OP_CRPOSRANGE …) takes as many repetitions as
 * it can, at most max, and never gives one back. `A{min,}(?!A)`: the greedy loop takes the whole
 * run first, where the lookahead holds; every shorter count it backtracks to stops before an A, so
 * the lookahead fails it — one way through, the one PCRE takes. For a finite max, the count PCRE
 * takes is max when the run is that long (`A{max}`, first), else the whole run (`A{min,max-1}(?!A)`:
 * when the run reaches max, every count below max is followed by an A and fails). min = max: one
 * count, nothing to give back.
 */
export function possessiveText(atom: string, min: number, max: number): string {
  if (max === Infinity) return `(?:${atom}{${min},}(?!${atom}))`;
  if (min === max) return `(?:${atom}{${min}})`;
  const below = max - 1 === min ? `{${min}}` : `{${min},${max - 1}}`;
  return `(?:${atom}{${max}}|${atom}${below}(?!${atom}))`;
}

/** A quantifier's text as counts. */
function quantifierCounts(q: string): { min: number; max: number } {
  if (q === '*') return { min: 0, max: Infinity };
  if (q === '+') return { min: 1, max: Infinity };
  if (q === '?') return { min: 0, max: 1 };
  const m = /^\{(\d+)(?:(,)(\d*))?\}$/.exec(q) as RegExpExecArray;
  const min = Number(m[1]);
  return { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
}

const bodyParser = new RegExpParser({ ecmaVersion: 2025 });

function isOneCharacter(e: AST.Node): boolean {
  return e.type === 'Character' || (e.type === 'CharacterClass' && !e.unicodeSets) || (e.type === 'CharacterSet' && e.kind !== 'property');
}

/** Matches in exactly one way wherever it matches: characters of sets, counted exactly; groups of those. */
function isDeterministic(e: AST.Element): boolean {
  if (isOneCharacter(e)) return true;
  if (e.type === 'Quantifier') return e.min === e.max && isOneCharacter(e.element);
  if (e.type === 'CapturingGroup' || (e.type === 'Group' && !e.modifiers)) return e.alternatives.length === 1 && e.alternatives[0].elements.every(isDeterministic);
  return false;
}

/**
 * The body of an atomic group `(?>B)` (already in JavaScript spelling) rewritten without it, where
 * that is exact; null otherwise. pcre_exec (OP_ONCE) matches B on its own at that position, keeps
 * the first way it finds and never backtracks into it. When every element of B but the last
 * matches in one way only (isDeterministic), the first way is the one the last element finds
 * first: nothing to change if it is deterministic too; a lazy `A{m,n}?` takes m (`A{m}`); a greedy
 * `A{m,n}` takes as many as it can — possessiveText. A group as the last element is rewritten
 * inside. Alternatives B₁|…|Bₙ, each of that shape (W₁ … Wₙ their rewritings, each matching in one
 * way, where and only where Bᵢ matches): PCRE keeps the first alternative that matches, its first
 * way — `W₁|(?!B₁)W₂|(?!B₁)(?!B₂)W₃…` has that way only (an earlier alternative that matches fails
 * every later branch's lookahead), so `(?>a|ab)c` is `(?:a|(?!a)ab)c`: no match in "abc". Without
 * capturing groups in them (the lookaheads repeat their text). Anything else (`(?>\d*\d)`,
 * `(?>(?:ab)+)`): null, not modelled.
 */
function atomicBody(body: string): string | null {
  let pattern: AST.Pattern;
  try {
    pattern = bodyParser.parsePattern(body, 0, body.length, { unicode: false, unicodeSets: false });
  } catch {
    return null;
  }
  return firstWayOf(pattern.alternatives);
}

function hasCapturingGroup(n: AST.Node): boolean {
  if (n.type === 'CapturingGroup') return true;
  if (n.type === 'Quantifier') return hasCapturingGroup(n.element);
  if ('alternatives' in n) return n.alternatives.some((a) => a.elements.some(hasCapturingGroup));
  if (n.type === 'Alternative') return n.elements.some(hasCapturingGroup);
  return false;
}

function firstWayOf(alts: readonly AST.Alternative[]): string | null {
  if (alts.length === 1) return firstWay(alts[0].elements);
  const out: string[] = [];
  let guard = '';
  for (const a of alts) {
    const w = hasCapturingGroup(a) ? null : firstWay(a.elements);
    if (w === null) return null;
    out.push(guard + w);
    guard += `(?!${a.raw})`;
  }
  return out.join('|');
}

function firstWay(els: readonly AST.Element[]): string | null {
  if (!els.slice(0, -1).every(isDeterministic)) return null;
  const head = els.slice(0, -1).map((e) => e.raw).join('');
  const last = els[els.length - 1];
  if (!last || isDeterministic(last)) return head + (last?.raw ?? '');
  if (last.type === 'Quantifier' && isOneCharacter(last.element)) return head + (last.greedy ? possessiveText(last.element.raw, last.min, last.max) : `${last.element.raw}{${last.min}}`);
  if (last.type === 'CapturingGroup' || (last.type === 'Group' && !last.modifiers)) {
    const inner = firstWayOf(last.alternatives);
    return inner === null ? null : `${head}${last.raw.slice(0, last.alternatives[0].start - last.start)}${inner})`;
  }
  return null;
}

const escapeLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One pass over the PCRE pattern: rewrites what differs, rejects what JavaScript cannot express,
 * and finds the syntax errors pcre_compile would report with their offset (missing `)` or `]`, an
 * unmatched `)`, a quantifier with nothing to repeat).
 */
function translate(p: string, dotAll: boolean): Translation {
  let out = '';
  let flags = '';
  let i = 0;
  // A leading (?i) (or (?s), (?is)…) applies to the whole pattern: a JS flag.
  const lead = /^\(\?([is]+)\)/.exec(p);
  if (lead) {
    flags = lead[1];
    if (flags.includes('s')) dotAll = true;
    i = lead[0].length;
  }
  // `atomicOut`: where an atomic group's `(?:` stands in `out` (its body is rewritten at its `)`)
  // `wrappers`: the modifier group `(?i:` (or `(?-i:`) written for the last option setting in this
  // group (`setting`), closed at the next setting, at its `|` and `)`, and reopened after a `|`:
  // a setting carries into the later alternatives.
  type Frame = { wrappers?: number; setting?: string };
  const groups: ({ offset: number; hasQuantifier: boolean; hasCapture: boolean; atomicOut?: number } & Frame)[] = [];
  const top: Frame = {};
  const closeWrappers = (f: Frame) => {
    out += ')'.repeat(f.wrappers ?? 0);
    f.wrappers = 0;
  };
  let risky = false;
  let emulated = false;
  // The last atom's place in `out` and whether it is one character of a set (a possessive
  // quantifier on it is rewritten); the last quantifier, where it stands and on what.
  let atomStart = 0;
  let atomSingle = false;
  let lastQuant: { atomStart: number; quantStart: number; q: string; single: boolean } | null = null;
  // a quantifier after a possessive one or an option setting: pcre_compile decides (pcre-backtrack.ts)
  let pcreDecides = false;
  const atom = (single: boolean) => {
    atomStart = out.length;
    atomSingle = single;
  };
  // A capturing group inside a repeated group: RegExp resets its captures each iteration and drops
  // an empty iteration; PCRE keeps both. Such patterns go to the PCRE matcher ($N must agree).
  let quantifiedCapture = false;
  let lastGroupHadCapture = false;
  let lastAtom: 'none' | 'atom' | 'group' | 'quantified' = 'none';
  let lastGroupHadQuantifier = false;
  const quantified = () => {
    if (groups.length) groups[groups.length - 1].hasQuantifier = true;
  };
  while (i < p.length) {
    const c = p[i];
    const possessiveBefore = pcreDecides;
    pcreDecides = false;
    if (c === '\\') {
      if (i + 1 >= p.length) return { message: '\\ at end of pattern', offset: i };
      const n = p[i + 1];
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        atom(false);
        out += escapeLiteral(lit);
        i = end < 0 ? p.length : end + 2;
        lastAtom = lit.length ? 'atom' : lastAtom;
        continue;
      }
      if (n === 'E') {
        i += 2;
        continue;
      }
      const map: Record<string, string> = { A: '^', Z: '(?=\\n?$)', z: '$', h: '[ \\t\\xA0]', H: '[^ \\t\\xA0]', v: '[\\n\\x0B\\f\\r\\x85]', V: '[^\\n\\x0B\\f\\r\\x85]', R: '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85])', e: '\\x1B', a: '\\x07' };
      if (n in map) {
        atom(n !== 'R');
        out += map[n];
        i += 2;
        lastAtom = n === 'A' || n === 'Z' || n === 'z' ? 'none' : 'atom';
        continue;
      }
      if ('GKXCpPgN'.includes(n) || (n === 'x' && p[i + 2] === '{' && !/^\\x\{[0-9a-fA-F]{1,4}\}/.test(p.slice(i)))) {
        return { construct: `\\${n}`, offset: i };
      }
      if (n === 'x' && p[i + 2] === '{') {
        const m = /^\\x\{([0-9a-fA-F]{1,4})\}/.exec(p.slice(i)) as RegExpExecArray;
        atom(true);
        out += `\\u${m[1].padStart(4, '0')}`;
        i += m[0].length;
        lastAtom = 'atom';
        continue;
      }
      // One character: an escaped punctuation character, a class escape, a control-character
      // escape, `\xhh`. The digits of `\xhh`, `\cX`, `\12` go with their escape (one atom).
      const esc = n === 'x' ? /^\\x[0-9a-fA-F]{0,2}/ : n === 'c' ? /^\\c[A-Za-z]?/ : /[0-9]/.test(n) ? /^\\[0-9]+/ : /^\\./;
      const text = (esc.exec(p.slice(i)) as RegExpExecArray)[0];
      atom(!/[A-Za-z0-9]/.test(n) || 'dDwWsStnrf'.includes(n) || /^\\x[0-9a-fA-F]{2}$/.test(text));
      out += text;
      i += text.length;
      lastAtom = 'atom';
      continue;
    }
    if (c === '[') {
      const start = i;
      atom(true);
      let cls = '[';
      i++;
      if (p[i] === '^') {
        cls += '^';
        i++;
      }
      if (p[i] === ']') {
        cls += '\\]'; // PCRE: a ] first in a class is literal; JS would read [] as an empty class
        i++;
      }
      let closed = false;
      while (i < p.length) {
        const d = p[i];
        if (d === '\\') {
          if (p[i + 1] === 'Q') {
            const end = p.indexOf('\\E', i + 2);
            cls += escapeLiteral(end < 0 ? p.slice(i + 2) : p.slice(i + 2, end)).replace(/-/g, '\\-');
            i = end < 0 ? p.length : end + 2;
            continue;
          }
          if (p[i + 1] === 'h') {
            cls += ' \\t\\xA0';
            i += 2;
            continue;
          }
          cls += d + (p[i + 1] ?? '');
          i += 2;
          continue;
        }
        if (d === '[' && p[i + 1] === ':') {
          const end = p.indexOf(':]', i + 2);
          const name = end < 0 ? '' : p.slice(i + 2, end);
          const neg = name.startsWith('^');
          const className = neg ? name.slice(1) : name;
          // Own entries only: [[:toString:]] is an unknown class (PCRE's "unknown POSIX class name"), not Object.prototype.toString.
          const body = ownEntry(POSIX_CLASSES, className);
          if (body === undefined) return { message: `unknown POSIX class name "${name}"`, offset: i };
          if (neg) return { construct: `[:^${name.slice(1)}:]`, offset: i };
          cls += body;
          i = end + 2;
          continue;
        }
        if (d === '[') {
          cls += '\\[';
          i++;
          continue;
        }
        if (d === ']') {
          cls += ']';
          i++;
          closed = true;
          break;
        }
        cls += d;
        i++;
      }
      if (!closed) return { message: 'missing terminating ] for character class', offset: start };
      out += cls;
      lastAtom = 'atom';
      continue;
    }
    if (c === '(') {
      const rest = p.slice(i);
      if (rest.startsWith('(*')) return { construct: 'backtracking verb (*…)', offset: i };
      if (rest.startsWith('(?#')) {
        const end = p.indexOf(')', i);
        if (end < 0) return { message: 'missing ) after (?# comment', offset: p.length };
        i = end + 1;
        lastQuant = null; // a `+` after `a+(?#…)` is not rewritten: the PCRE matcher reads it
        continue;
      }
      let opener = '(';
      let len = 1;
      if (rest.startsWith('(?')) {
        const m = /^\(\?(:|=|!|<=|<!|P<([A-Za-z_]\w*)>|<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
        if (m) {
          const name = m[2] ?? m[3] ?? m[4];
          opener = name ? `(?<${name}>` : `(?${m[1]}`;
          len = m[0].length;
        } else if (rest.startsWith('(?>')) {
          groups.push({ offset: i, hasQuantifier: false, hasCapture: false, atomicOut: out.length });
          if (groups.length > PARENS_NEST_LIMIT) return { message: 'parentheses are too deeply nested', offset: i };
          out += '(?:';
          i += 3;
          lastAtom = 'none';
          continue;
        } else if (/^\(\?-?i[:)]/.test(rest)) {
          // `(?i)` / `(?-i)` (to the end of the enclosing group, its later alternatives too:
          // pcre_compile.c, as pcrepattern(3) "Internal option setting" says), `(?i:…)` / `(?-i:…)`
          // — ES2025 modifier groups, which Node's RegExp does not run: the spelling is read for
          // the language only (route runs PCRE).
          const mod = rest[2] === '-' ? '-i' : 'i';
          const setLen = mod.length + 3;
          emulated = true;
          if (rest[setLen - 1] === ':') {
            groups.push({ offset: i, hasQuantifier: false, hasCapture: false });
            if (groups.length > PARENS_NEST_LIMIT) return { message: 'parentheses are too deeply nested', offset: i };
            out += `(?${mod}:`;
          } else {
            const frame = groups.length ? groups[groups.length - 1] : top;
            if (frame.setting !== mod) {
              // the setting before it ends here (not nested: one state at a time)
              closeWrappers(frame);
              out += `(?${mod}:`;
              frame.wrappers = 1;
              frame.setting = mod;
            }
            pcreDecides = true; // a quantifier right after a setting
          }
          i += setLen;
          lastAtom = 'none';
          continue;
        } else if (rest.startsWith('(?|')) return { construct: 'branch reset (?|…)', offset: i };
        else if (/^\(\?(R|[+-]?\d|&|P>)/.test(rest)) return { construct: 'recursion / subroutine call', offset: i };
        else if (rest.startsWith('(?(')) return { construct: 'conditional group (?(…)…)', offset: i };
        else if (/^\(\?P=/.test(rest)) {
          const m2 = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
          if (!m2) return { message: 'bad (?P= back reference', offset: i };
          out += `\\k<${m2[1]}>`;
          i += m2[0].length;
          lastAtom = 'atom';
          continue;
        } else if (/^\(\?[a-zA-Z^-]*[:)]/.test(rest)) return { construct: 'inline option setting (?…) not at the start of the pattern', offset: i };
        else return { message: 'unrecognized character after (? or (?-', offset: i + 2 };
      }
      groups.push({ offset: i, hasQuantifier: false, hasCapture: opener === '(' || opener.startsWith('(?<') && !opener.startsWith('(?<=') && !opener.startsWith('(?<!') });
      if (groups.length > PARENS_NEST_LIMIT) return { message: 'parentheses are too deeply nested', offset: i };
      out += opener;
      i += len;
      lastAtom = 'none';
      continue;
    }
    if (c === ')') {
      const g = groups.pop();
      if (!g) return { message: 'unmatched closing parenthesis', offset: i };
      closeWrappers(g);
      lastGroupHadQuantifier = g.hasQuantifier;
      lastGroupHadCapture = g.hasCapture;
      if (g.hasQuantifier && groups.length) groups[groups.length - 1].hasQuantifier = true;
      if (g.hasCapture && groups.length) groups[groups.length - 1].hasCapture = true;
      if (g.atomicOut !== undefined) {
        const body = atomicBody(out.slice(g.atomicOut + 3));
        if (body === null) return { construct: 'atomic group (?>…)', offset: g.offset };
        out = out.slice(0, g.atomicOut + 3) + body;
        emulated = true;
      }
      atom(false);
      out += ')';
      i++;
      lastAtom = 'group';
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(i)))) {
      let q = c;
      if (c === '{') q = (/^\{\d+(,\d*)?\}/.exec(p.slice(i)) as RegExpExecArray)[0];
      if (lastAtom === 'none' && possessiveBefore) return { construct: 'a quantifier after a possessive quantifier or an option setting', offset: i };
      if (lastAtom === 'none') return { message: 'quantifier does not follow a repeatable item', offset: i };
      if (lastAtom === 'quantified' && c !== '?' && c !== '+') return { message: 'quantifier does not follow a repeatable item', offset: i };
      if (c === '{') {
        const m = /^\{(\d+)(?:,(\d*))?\}/.exec(q) as RegExpExecArray;
        if (m[2] !== undefined && m[2] !== '' && Number(m[2]) < Number(m[1])) return { message: 'numbers out of order in {} quantifier', offset: i + q.length - 1 };
      }
      if (lastAtom === 'quantified') {
        if (c === '+') {
          if (!lastQuant?.single) return { construct: 'possessive quantifier', offset: i };
          const { min, max } = quantifierCounts(lastQuant.q);
          out = out.slice(0, lastQuant.atomStart) + possessiveText(out.slice(lastQuant.atomStart, lastQuant.quantStart), min, max);
          emulated = true;
          pcreDecides = true;
        } else out += '?'; // lazy
        i++;
        lastAtom = 'none';
        lastQuant = null;
        continue;
      }
      const unbounded = c === '*' || c === '+' || /,\}$/.test(q);
      if (lastAtom === 'group' && lastGroupHadQuantifier && unbounded) risky = true;
      if (lastAtom === 'group' && lastGroupHadCapture) quantifiedCapture = true;
      lastQuant = { atomStart, quantStart: out.length, q, single: lastAtom === 'atom' && atomSingle };
      out += q;
      i += q.length;
      quantified();
      lastAtom = 'quantified';
      continue;
    }
    if (c === '.') {
      atom(true);
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
      lastAtom = 'atom';
      continue;
    }
    if (c === '$') {
      // a final `$` outside the top level's modifier groups (letter case does not touch it): `^…$`
      // keeps its shape for captureSyms
      if (i === p.length - 1 && !groups.length) closeWrappers(top);
      out += '(?=\\n?$)'; // PCRE's $ also matches before a final newline
      i++;
      lastAtom = 'none';
      continue;
    }
    if (c === '|') {
      const frame = groups.length ? groups[groups.length - 1] : top;
      if (frame.wrappers) {
        closeWrappers(frame);
        out += `|(?${frame.setting}:`;
        frame.wrappers = 1;
        i++;
        lastAtom = 'none';
        continue;
      }
    }
    if (c === '|' || c === '^') {
      out += c;
      i++;
      lastAtom = 'none';
      continue;
    }
    if (c === '/') {
      atom(true);
      out += '\\/';
      i++;
      lastAtom = 'atom';
      continue;
    }
    atom(true);
    out += c;
    i++;
    lastAtom = 'atom';
  }
  if (groups.length) return { message: 'missing closing parenthesis', offset: p.length };
  closeWrappers(top);
  return { source: out, flags, risky, quantifiedCapture, emulated };
}

/** Inputs longer than this are not matched against a risky (nested-quantifier) expression. */
export const RISKY_INPUT_LIMIT = 40;
/** No field value is matched beyond this length (PBX fields are short; this keeps any regex bounded). */
export const MAX_INPUT = 4096;

export type MatchResult = { kind: 'match'; captures: string[] } | { kind: 'nomatch' } | { kind: 'unknown'; why: string };

/**
 * switch_regex_perform passes pcre_exec an ovector of 30 ints: room for groups 0–9. When a higher
 * group is set, pcre_exec returns 0 ("ovector too small"), and switch_regex_perform treats every
 * count ≤ 0 as no match.
 */
const OVECTOR_GROUPS = 10;

const NON_ASCII = /[^\x00-\x7f]/;

function matched(captures: (string | undefined)[]): MatchResult {
  let highest = 0;
  captures.forEach((c, i) => {
    if (c !== undefined) highest = i;
  });
  if (highest >= OVECTOR_GROUPS) return { kind: 'nomatch' };
  return { kind: 'match', captures: captures.map((x) => x ?? '') };
}

const programs = new WeakMap<object, PcreCompiled>();

/** The backtracking program of an expression RegExp otherwise runs (compiled once). */
function byteProgram(compiled: Extract<CompiledExpression, { kind: 'ok' }>): PcreCompiled {
  let p = programs.get(compiled);
  if (!p) {
    p = compilePcre(compiled.pcre.pattern, compiled.pcre);
    programs.set(compiled, p);
  }
  return p;
}

/** Matches like pcre_exec; captures[0] is the whole match, unset groups are ''. */
export function matchExpression(compiled: CompiledExpression, input: string): MatchResult {
  if (compiled.kind === 'invalid') return { kind: 'nomatch' }; // switch_regex_perform: a compile error is "no match"
  if (compiled.kind === 'unsupported') return { kind: 'unknown', why: `PCRE ${compiled.construct} in /${compiled.source}/ is not modelled` };
  if (compiled.kind === 'pcre') {
    // A pattern of bounded work (pcre-backtrack.ts boundedWork) neither recurses per character nor
    // runs out of steps: any length is matched.
    if (input.length > BACKTRACK_INPUT_LIMIT && !compiled.program.boundedWork) return { kind: 'unknown', why: `/${compiled.source}/ is not matched against ${input.length} characters (more than ${BACKTRACK_INPUT_LIMIT})` };
    const r = execPcre(compiled.program, input);
    if (r.kind === 'budget') {
      const what = compiled.risky ? `/${compiled.source}/ has nested quantifiers: matching "${input}" backtracks` : `matching /${compiled.source}/ against "${input}" takes`;
      return { kind: 'unknown', why: `${what} past pbxlint's step budget${compiled.risky ? ' (catastrophic backtracking)' : ''}` };
    }
    return r.kind === 'match' ? matched(r.captures) : { kind: 'nomatch' };
  }
  if (input.length > MAX_INPUT) return { kind: 'unknown', why: `/${compiled.source}/ is not matched against ${input.length} characters (more than ${MAX_INPUT})` };
  const riskyInput = compiled.risky && input.length > RISKY_INPUT_LIMIT;
  // To the matcher with PCRE's own semantics: a long subject against nested quantifiers (RegExp has
  // no step budget), and non-ASCII (without PCRE_UTF8, pcre_exec reads bytes with ASCII-only case
  // folding; RegExp reads UTF-16 units with Unicode folding).
  if (riskyInput || NON_ASCII.test(input) || NON_ASCII.test(compiled.pcre.pattern)) {
    const p = byteProgram(compiled);
    if (p.kind === 'program') {
      const r = matchExpression({ kind: 'pcre', program: p, source: compiled.source }, input);
      if (r.kind === 'unknown' && riskyInput) return { kind: 'unknown', why: `/${compiled.source}/ has nested quantifiers: matching ${input.length} characters backtracks past pbxlint's step budget (catastrophic backtracking)` };
      return r;
    }
    if (riskyInput) return { kind: 'unknown', why: `/${compiled.source}/ has nested quantifiers; not matched against ${input.length} characters (catastrophic backtracking)` };
  }
  const m = compiled.regex.exec(input);
  if (!m) return { kind: 'nomatch' };
  return matched(Array.from(m));
}

/** switch_perform_substitution: `$N` and `${N}` in action data become capture N (an unset one, ''). */
export function substituteCaptures(data: string, captures: string[]): string {
  return data.replace(/\$(?:\{(\d+)\}|(\d+))/g, (_, a: string | undefined, b: string | undefined) => captures[Number(a ?? b)] ?? '');
}
