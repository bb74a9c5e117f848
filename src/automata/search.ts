/**
 * Regular expressions with the anchors `^` and `$` as data, and the language of the subjects an
 * unanchored search finds a match in — what both Kamailio's `=~` (glibc regexec: "is there a match
 * anywhere?") and FreeSWITCH's conditions (pcre2_match without PCRE2_ANCHORED) decide.
 *
 * Whether a match exists does not depend on how the engine chooses among matches (POSIX
 * leftmost-longest, PCRE leftmost-first, lazy or greedy quantifiers): it is the existence of a
 * substring s[i..j] and a way through the expression over it in which every `^` stands at
 * position 0 and every `$` at position n. Over the dialable alphabet there is no newline, so
 * multi-line meanings and PCRE's "`$` also before a final newline" never arise.
 *
 * The construction: for a node N and a context (s: N's span starts at 0, e: it ends at n),
 * L(N, s, e) is the set of strings N can match there (anchors become ε or nothing). A search
 * succeeds on a subject iff it is in L(R,T,T) ∪ Σ⁺·L(R,F,T) ∪ L(R,T,F)·Σ⁺ ∪ Σ⁺·L(R,F,F)·Σ⁺.
 * Nodes without anchors are their plain language in every context, which keeps the result as
 * small as the expression for the usual shapes (`^…$`, `^…`, `…$`, anchors only at the ends).
 */
import { ANY_STRING, CharSet, EPS, NONE, alt, cat, chars, star, type Re } from './regex';

export type AnchoredRe =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'bol' }
  | { readonly t: 'eol' }
  | { readonly t: 'empty' }
  | { readonly t: 'cat'; readonly items: readonly AnchoredRe[] }
  | { readonly t: 'alt'; readonly alts: readonly AnchoredRe[] }
  /** max = Infinity for unbounded. */
  | { readonly t: 'rep'; readonly node: AnchoredRe; readonly min: number; readonly max: number };

/** Whether ε is in the language. */
export function nullable(r: Re): boolean {
  switch (r.t) {
    case 'none':
    case 'chars':
      return false;
    case 'eps':
    case 'star':
      return true;
    case 'cat':
      return r.items.every(nullable);
    case 'alt':
      return r.alts.some(nullable);
  }
}

/** The language without ε. */
export function nonEmpty(r: Re): Re {
  switch (r.t) {
    case 'none':
    case 'eps':
      return NONE;
    case 'chars':
      return r;
    case 'star':
      return cat([nonEmpty(r.node), r]);
    case 'alt':
      return alt(r.alts.map(nonEmpty));
    case 'cat': {
      if (!nullable(r)) return r;
      // every item is nullable: the first non-empty item decides
      const [first, ...rest] = r.items;
      const tail = cat(rest);
      return alt([cat([nonEmpty(first), tail]), nonEmpty(tail)]);
    }
  }
}

/** The number of nodes of `r` read as a tree (what a Thompson construction walks). */
export function treeSize(r: Re, limit = Infinity): number {
  let n = 0;
  const stack: Re[] = [r];
  while (stack.length && n <= limit) {
    const x = stack.pop() as Re;
    n++;
    if (x.t === 'cat') stack.push(...x.items);
    else if (x.t === 'alt') stack.push(...x.alts);
    else if (x.t === 'star') stack.push(x.node);
  }
  return n;
}

interface Flags {
  bol: boolean;
  eol: boolean;
}

function repeatRe(node: Re, min: number, max: number): Re {
  const items: Re[] = [];
  for (let i = 0; i < min; i++) items.push(node);
  if (max === Infinity) items.push(star(node));
  else for (let i = min; i < max; i++) items.push(alt([EPS, node]));
  return cat(items);
}

class Converter {
  private readonly flags = new Map<AnchoredRe, Flags>();
  private readonly memo = new Map<AnchoredRe, (Re | undefined)[]>();

  anchorsIn(n: AnchoredRe): Flags {
    let f = this.flags.get(n);
    if (f) return f;
    switch (n.t) {
      case 'set':
      case 'empty':
        f = { bol: false, eol: false };
        break;
      case 'bol':
        f = { bol: true, eol: false };
        break;
      case 'eol':
        f = { bol: false, eol: true };
        break;
      case 'rep':
        f = this.anchorsIn(n.node);
        break;
      case 'cat':
      case 'alt': {
        const parts = (n.t === 'cat' ? n.items : n.alts).map((x) => this.anchorsIn(x));
        f = { bol: parts.some((p) => p.bol), eol: parts.some((p) => p.eol) };
        break;
      }
    }
    this.flags.set(n, f);
    return f;
  }

  /** The plain language of an anchor-free node. */
  plain(n: AnchoredRe): Re {
    return this.lang(n, false, false);
  }

  /** L(n, s, e): what n matches when its span starts at 0 (s) and ends at the subject's end (e). */
  lang(n: AnchoredRe, s: boolean, e: boolean): Re {
    const f = this.anchorsIn(n);
    // the context only matters through the anchors the node contains
    const sk = f.bol && s;
    const ek = f.eol && e;
    const slot = (sk ? 1 : 0) + (ek ? 2 : 0);
    let row = this.memo.get(n);
    if (!row) {
      row = [undefined, undefined, undefined, undefined];
      this.memo.set(n, row);
    }
    const hit = row[slot];
    if (hit) return hit;
    const r = this.build(n, sk, ek);
    row[slot] = r;
    return r;
  }

  private build(n: AnchoredRe, s: boolean, e: boolean): Re {
    switch (n.t) {
      case 'set':
        return chars(n.set);
      case 'empty':
        return EPS;
      case 'bol':
        return s ? EPS : NONE;
      case 'eol':
        return e ? EPS : NONE;
      case 'alt':
        return alt(n.alts.map((a) => this.lang(a, s, e)));
      case 'rep': {
        const f = this.anchorsIn(n.node);
        if (!f.bol && !f.eol) return repeatRe(this.plain(n.node), n.min, n.max);
        if (n.max !== Infinity) {
          const items: AnchoredRe[] = [];
          for (let i = 0; i < n.min; i++) items.push(n.node);
          for (let i = n.min; i < n.max; i++) items.push({ t: 'alt', alts: [{ t: 'empty' }, n.node] });
          return this.catList(items, s, e);
        }
        // n{min,}: min copies then a star; in a star only non-empty iterations matter (an empty
        // one can always be left out): the first may start at 0, the last may end at n.
        const head: AnchoredRe[] = [];
        for (let i = 0; i < n.min; i++) head.push(n.node);
        const starNode: AnchoredRe = { t: 'rep', node: n.node, min: 0, max: Infinity };
        if (head.length) return this.catList([...head, starNode], s, e);
        return this.starLang(n.node, s, e);
      }
      case 'cat':
        return this.catList(n.items, s, e);
    }
  }

  starLang(x: AnchoredRe, s: boolean, e: boolean): Re {
    const one = nonEmpty(this.lang(x, s, e));
    const first = nonEmpty(this.lang(x, s, false));
    const middle = nonEmpty(this.lang(x, false, false));
    const last = nonEmpty(this.lang(x, false, e));
    return alt([EPS, one, cat([first, star(middle), last])]);
  }

  /** A concatenation: adjacent anchor-free items are one plain block, then the binary rule. */
  catList(items: readonly AnchoredRe[], s: boolean, e: boolean): Re {
    const blocks: ({ plain: Re } | { node: AnchoredRe })[] = [];
    for (const it of items) {
      const f = this.anchorsIn(it);
      if (!f.bol && !f.eol) {
        const last = blocks[blocks.length - 1];
        const p = this.plain(it);
        if (last && 'plain' in last) last.plain = cat([last.plain, p]);
        else blocks.push({ plain: p });
      } else blocks.push({ node: it });
    }
    const memo = new Map<number, Re>();
    const go = (k: number, s: boolean, e: boolean): Re => {
      const key = k * 4 + (s ? 1 : 0) + (e ? 2 : 0);
      let r = memo.get(key);
      if (r === undefined) {
        r = step(k, s, e);
        memo.set(key, r);
      }
      return r;
    };
    const step = (k: number, s: boolean, e: boolean): Re => {
      if (k >= blocks.length) return EPS;
      const b = blocks[k];
      if (k === blocks.length - 1) return 'plain' in b ? b.plain : this.lang(b.node, s, e);
      const restHasBol = blocks.slice(k + 1).some((x) => 'node' in x && this.anchorsIn(x.node).bol);
      if ('plain' in b) {
        // L(A·B, s, e) = [ε∈A]·L(B, s, e) ∪ (A∖ε)·L(B, F, e)
        if (!restHasBol) return cat([b.plain, go(k + 1, false, e)]);
        const parts: Re[] = [cat([nonEmpty(b.plain), go(k + 1, false, e)])];
        if (nullable(b.plain)) parts.push(go(k + 1, s, e));
        return alt(parts);
      }
      const fa = this.anchorsIn(b.node);
      if (!fa.eol && !restHasBol) return cat([this.lang(b.node, s, false), go(k + 1, false, e)]);
      // the general rule, by which of the two parts is empty
      const restSE = go(k + 1, s, e);
      const restFE = go(k + 1, false, e);
      const aSE = this.lang(b.node, s, e);
      const aSF = this.lang(b.node, s, false);
      const parts: Re[] = [];
      if (nullable(aSE) && nullable(restSE)) parts.push(EPS);
      if (nullable(aSF)) parts.push(nonEmpty(restSE));
      if (nullable(restFE)) parts.push(nonEmpty(aSE));
      parts.push(cat([nonEmpty(aSF), nonEmpty(restFE)]));
      return alt(parts);
    };
    return go(0, s, e);
  }
}

/** Past this many nodes the search language is not built (a pattern made to explode). */
export const MAX_SEARCH_TREE = 200_000;

/**
 * The subjects in which an unanchored search for `r` finds a match; null when the result would
 * be larger than MAX_SEARCH_TREE nodes.
 */
export function searchLanguage(r: AnchoredRe): Re | null {
  const c = new Converter();
  const f = c.anchorsIn(r);
  const plus: Re = cat([chars(CharSet.ANY), ANY_STRING]);
  let out: Re;
  if (!f.bol && !f.eol) out = cat([ANY_STRING, c.plain(r), ANY_STRING]);
  else if (!f.bol) out = alt([cat([ANY_STRING, c.lang(r, false, true)]), cat([ANY_STRING, c.lang(r, false, false), plus])]);
  else if (!f.eol) out = alt([cat([c.lang(r, true, false), ANY_STRING]), cat([plus, c.lang(r, false, false), ANY_STRING])]);
  else
    out = alt([
      c.lang(r, true, true),
      cat([plus, c.lang(r, false, true)]),
      cat([c.lang(r, true, false), plus]),
      cat([plus, c.lang(r, false, false), plus]),
    ]);
  return treeSize(out, MAX_SEARCH_TREE) > MAX_SEARCH_TREE ? null : out;
}

/** The strings `r` matches as a whole (a full match: both ends anchored). */
export function fullLanguage(r: AnchoredRe): Re | null {
  const out = new Converter().lang(r, true, true);
  return treeSize(out, MAX_SEARCH_TREE) > MAX_SEARCH_TREE ? null : out;
}
