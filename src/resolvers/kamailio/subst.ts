/**
 * Kamailio's `/regex/replacement/flags` substitutions at run time (subst_user, subst_uri), after
 * kamailio/kamailio src/core/re.c: subst_parser (the separator is the first character; the regex
 * ends at the next one not preceded by a backslash; flags i = REG_ICASE, g = every match,
 * s = `.` matches newline), parse_repl (`\0`…`\9` the whole match / a group, `\\` `\n` `\r` `\t`
 * `\$`, `\u` the whole R-URI, any other escaped character itself, `$pv` a pseudo-variable) and
 * subst_str (no match: NULL, the caller returns -1; else the input with the first, or with `g`
 * every, match replaced).
 *
 * The regex is POSIX ERE (REG_EXTENDED) run through ere.ts's translation to a JavaScript RegExp:
 * whether it matches is exact; which text a group captures follows JavaScript's leftmost-first
 * rule where glibc takes the leftmost-longest, which differs only for alternations whose earlier
 * branch is a prefix of a later one.
 */
import { compileEre } from '../../automata/ere/ere';

export type ReplPart = { k: 'text'; s: string } | { k: 'group'; n: number } | { k: 'uri' } | { k: 'pv'; raw: string };

export interface Subst {
  regex: RegExp;
  /** The regular expression as written, and the flags (`i`, `s`, `g`). */
  source: string;
  flags: string;
  repl: ReplPart[];
  global: boolean;
}

/**
 * Why re.c subst_parser refuses the `/re/repl/flags` text itself (separator, replacement, flags),
 * not counting the regex compilation: fixup_substre fails and Kamailio does not start. null: the
 * text parses that far.
 */
export function substSyntaxError(text: string): string | null {
  const r = parseSubst(text, false);
  if (typeof r === 'string') return r;
  // regcomp refuses the regex too (subst_parser: "bad regular expression"); only the errors
  // ere.ts is sure regcomp gives, not what it merely does not evaluate.
  const compiled = compileEre(r.source, r.flags.includes('i'));
  if (!compiled.ok && !/not evaluated|not supported|Invalid regular expression/.test(compiled.error)) return `bad regular expression: ${compiled.error}`;
  return null;
}

/** Parses `/re/repl/flags`; a string says why Kamailio would refuse it (or why it is not evaluated). */
export function parseSubst(text: string, compile = true): Subst | string {
  if (text.length < 3) return 'expression is too short';
  const sep = text[0];
  if (sep === '\\') return `invalid separator char <${sep}>`;
  let p = 1;
  for (; p < text.length; p++) if (text[p] === sep && text[p - 1] !== '\\') break;
  if (p >= text.length) return 'no separator found';
  const re = text.slice(1, p);
  const repl: ReplPart[] = [];
  let lit = '';
  const flush = () => {
    if (lit) repl.push({ k: 'text', s: lit });
    lit = '';
  };
  let q = p + 1;
  let closed = false;
  for (; q < text.length; q++) {
    const ch = text[q];
    if (ch === '\\' && q + 1 < text.length) {
      const e = text[++q];
      if (/[0-9]/.test(e)) {
        flush();
        repl.push({ k: 'group', n: Number(e) });
      } else if (e === 'u') {
        flush();
        repl.push({ k: 'uri' });
      } else lit += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
    } else if (ch === '$') {
      const m = /^\$(\((?:[^()]|\([^()]*\))*\)|[A-Za-z_][A-Za-z0-9_]*(?:\([^()]*\))?)/.exec(text.slice(q));
      if (!m) return `bad specifier in replace part at ${text.slice(q)}`;
      flush();
      repl.push({ k: 'pv', raw: m[0] });
      q += m[0].length - 1;
    } else if (ch === sep) {
      closed = true;
      break;
    } else lit += ch;
  }
  if (!closed) return 'missing separator';
  flush();
  const flags = text.slice(q + 1);
  const bad = /[^isg]/.exec(flags);
  if (bad) return `unknown flag ${bad[0]}`;
  if (!compile) return { regex: /(?:)/, source: re, flags, repl, global: flags.includes('g') };
  const compiled = compileEre(re, flags.includes('i'));
  if (!compiled.ok) return compiled.error;
  return { regex: new RegExp(compiled.regex.source, `${compiled.regex.flags}${flags.includes('g') ? 'g' : ''}`), source: re, flags, repl, global: flags.includes('g') };
}

/**
 * subst_str: `input` with the first (or every, with g) match replaced; null when nothing matches.
 * `value` gives the text of `\u` and of a pseudo-variable (null when it cannot be known: the
 * result is then undefined). re.c subst_run: an empty match is an error ("Matched string is
 * empty, invalid regexp?"): subst_str gives no result at all (null), even after earlier matches;
 * each later search starts where the previous match ended, with REG_NOTBOL (`^` no longer
 * matches: as JavaScript's lastIndex search).
 */
export function applySubst(se: Subst, input: string, value: (part: { k: 'uri' } | { k: 'pv'; raw: string }) => string | null): string | null | undefined {
  const re = new RegExp(se.regex.source, se.regex.flags);
  let out = '';
  let last = 0;
  let matched = false;
  let unknown = false;
  for (;;) {
    const m = re.exec(input);
    if (!m) break;
    if (m[0].length === 0) return null;
    matched = true;
    out += input.slice(last, m.index);
    for (const part of se.repl) {
      if (part.k === 'text') out += part.s;
      else if (part.k === 'group') out += m[part.n] ?? '';
      else {
        const v = value(part);
        if (v === null) unknown = true;
        else out += v;
      }
    }
    last = m.index + m[0].length;
    if (!se.global) break;
  }
  if (matched && unknown) return undefined;
  if (!matched) return null;
  return out + input.slice(last);
}
