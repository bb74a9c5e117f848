/**
 * Kamailio's `=~` as a language: the Request-URI parts (or any string) for which it is true.
 * rvalue.c / route.c compile the right operand with regcomp(REG_EXTENDED | REG_NOSUB | REG_ICASE)
 * and test with regexec, which searches for a match anywhere in the subject; `^` and `$` anchor it
 * (glibc, without REG_NEWLINE: only at the subject's ends). The pattern is read by the same parser
 * the matcher uses (ere-nfa.ts parseEre), so the language and the matcher cannot disagree on syntax;
 * REG_ICASE is in the character tests the parser builds (each folds case), and becomes a union of
 * cases here by evaluating them over the dialable alphabet.
 */
import { ALPHABET_FIRST, ALPHABET_LAST, CharSet, type Re } from '../regex';
import { searchLanguage, type AnchoredRe } from '../search';
import { EreSyntaxError, parseEre, type CharTest, type EreNode } from './ere-nfa';

export type LanguageResult = { ok: true; re: Re } | { ok: false; reason: string };

class NotModelled extends Error {}

function setOf(test: CharTest): CharSet {
  let chars = '';
  for (let c = ALPHABET_FIRST; c <= ALPHABET_LAST; c++) {
    const ch = String.fromCharCode(c);
    if (test(ch)) chars += ch;
  }
  return CharSet.of(chars);
}

function toAnchored(n: EreNode): AnchoredRe {
  switch (n.t) {
    case 'char':
      return { t: 'set', set: setOf(n.test) };
    case 'empty':
      return { t: 'empty' };
    case 'group':
      return toAnchored(n.node);
    case 'assert':
      if (n.kind === 'bol' || n.kind === 'eol') return { t: n.kind };
      // a word boundary looks at both neighbours: regular, but not translated (yet)
      throw new NotModelled(`word-boundary assertion (\\b, \\B, \\<, \\>)`);
    case 'cat':
      return { t: 'cat', items: n.items.map(toAnchored) };
    case 'alt':
      return { t: 'alt', alts: n.alts.map(toAnchored) };
    case 'rep':
      return { t: 'rep', node: toAnchored(n.node), min: n.min, max: n.max === -1 ? Infinity : n.max };
  }
}

const cache = new Map<string, LanguageResult>();

/**
 * The subjects `subject =~ pattern` is true for. A pattern regcomp rejects makes the test false
 * for every subject in Kamailio (the script fails to load, in fact: the lint reports that); here it
 * is reported as not modelled with the reason, like the constructs not translated.
 */
export function ereSearchLanguage(pattern: string, icase = true): LanguageResult {
  const key = `${icase ? 'i' : 'c'}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let r: LanguageResult;
  try {
    const re = searchLanguage(toAnchored(parseEre(pattern, icase)));
    r = re ? { ok: true, re } : { ok: false, reason: `the regular expression ${pattern} is too large to compile to an automaton` };
  } catch (e) {
    if (!(e instanceof EreSyntaxError) && !(e instanceof NotModelled)) throw e;
    r = { ok: false, reason: `regular expression ${pattern}: ${e.message}` };
  }
  if (cache.size < 10_000) cache.set(key, r);
  return r;
}

/**
 * The strings a concatenation of parsed ERE nodes matches as a whole (the nodes between `^` and
 * `$`); null when a node has a construct not translated (word boundaries) or the automaton would
 * be too large.
 */
export function ereNodesLanguage(nodes: readonly EreNode[]): Re | null {
  try {
    return searchLanguage({ t: 'cat', items: [{ t: 'bol' }, ...nodes.map(toAnchored), { t: 'eol' }] });
  } catch (e) {
    if (e instanceof NotModelled) return null;
    throw e;
  }
}
