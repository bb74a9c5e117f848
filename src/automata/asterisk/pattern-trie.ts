/**
 * The `extenpatternmatchnew=yes` lookup (main/pbx.c, asterisk/asterisk master f0c1c1a7),
 * modelled node by node because its answers differ from the classic list walk.
 *
 * VERIFIED FROM THE SOURCE (the semantics doc marked this UNVERIFIED):
 *
 * Building (`create_match_char_tree` → `add_exten_to_pattern_tree`, `get_pattern_node`,
 * `add_pattern_node`, `insert_in_next_chars_alt_char_list`, `already_in_tree`):
 * - The tree is built on the first lookup in the context, from `con->root_table` traversed with
 *   `ast_hashtab_next`. main/hashtab.c adds every object at the HEAD of its traversal list
 *   (`tlist_add_head`), so the traversal is NEWEST REGISTRATION FIRST. Extensions added after
 *   the tree exists are appended in registration order (`ast_add_extension2_lockopt`).
 *   The tree is built after loading unless a `exten => x,label+1,…` priority made pbx_config
 *   call `ast_findlabel_extension2` during load, which builds it early: `builtAfter` below
 *   (DialplanContext.trieBuiltAfter, recorded by the parser).
 * - Each extension is inserted as the string `exten` (dashes removed) or `exten/cidmatch`
 *   when it has a CID match. The `_` of the extension decides whether the WHOLE string,
 *   CID part included, is read as a pattern. A CID pattern's own `_` is an ordinary character.
 * - A node is one char or one set. Sets are expanded, sorted and de-duplicated into a string
 *   (`[3-1]`-style reversed ranges expand to nothing; `\` escapes `[ ] - \`; `[5-]` is the range
 *   5..`]`, unlike the classic matcher). n/x/z become N/X/Z in patterns only.
 * - Siblings (`alt_char` list) are kept sorted by "specificity": literal char 1 (both in
 *   literal extensions and in patterns), N 0x832, Z 0x931, X 0xa30, set (size<<8)|lowest char,
 *   `.` 0x18000, `!` 0x28000. Ties keep insertion order (new node after equal ones).
 *   Nodes are shared only when both the text and `is_pattern` are equal (`already_in_tree`),
 *   so literal `123` and pattern `_123` are different branches with equal specificity.
 * - A path written twice keeps the LAST extension inserted ("Found duplicate exten").
 *
 * Searching (`new_find_extension`, then the `extenpatternmatchnew` branch of
 * `pbx_find_extension`):
 * - Depth first along the sorted siblings; at each node the extension ending there is taken
 *   BEFORE deeper nodes are tried (`NEW_MATCHER_CHK_MATCH` runs before `NEW_MATCHER_RECURSE`),
 *   and the first complete match ends the search.
 * - Going one level deeper needs another dialled char, except when the FIRST child is `/`
 *   (CID part) or starts with `!`. So `!` works only when it is the first (lowest specificity)
 *   sibling at its level: with `_X!` and `_XX`, "5" matches nothing.
 * - A node whose text is exactly "N", "X" or "Z" is a wildcard even if written `[N]`; a set
 *   whose text starts with N, X or Z but is longer never matches (the `p->x[0] == 'N'` branch
 *   only tests the wildcard). A set that is exactly "." or "!" acts as `.` / `!`.
 * - `.` matches the rest of the string (the recursion only enters it with ≥ 1 char left);
 *   `!` matches zero or more.
 * - CID: after the name, the `/` node is entered only as the first child. In a pattern tree
 *   it restarts matching on the caller number (non-empty); in a literal tree `/` is just a
 *   character compared with the string "/", so literal `100/5551234` NEVER matches and literal
 *   `100/` (empty CID) matches every caller.
 * - Consequences vs classic: no CID variant can win over a no-CID extension of the same name
 *   (the no-CID one ends at an earlier node); `_12` beats `_12!` for "12" (classic: `_12!`);
 *   a CID pattern with `_` never matches a real number, while a CID WITHOUT `_` on a pattern
 *   extension is read as a pattern (`_X./555XXXX` matches caller 5551234; classic compares the
 *   CID literally and does not); literals do not automatically precede
 *   patterns (ties between literal `1` and pattern `1` nodes follow insertion order).
 * - Priority: once the scoreboard holds an extension, a missing priority does NOT continue the
 *   search (the classic walk does): the lookup fails in this context.
 * - E_FINDLABEL (`ast_findlabel_extension`): NEW_MATCHER_CHK_MATCH scores a complete match as
 *   E_MATCH does, but returns only when that extension's `peer_label_table` has the label;
 *   otherwise the extension stays on the scoreboard and the search goes on: into a `/` or `!`
 *   first child (which returns at once, the scoreboard being set), then to the later siblings
 *   at the same level, each complete match replacing the scored one. Back in a parent,
 *   NEW_MATCHER_RECURSE sees the scoreboard set and returns, so no other branch of the tree is
 *   tried. A `.` or `!` match is scored and returned without a label test. pbx_find_extension
 *   then looks the label up in the extension scored last only: the label on a pattern that
 *   branches off higher up (`_X2` after `_1X`, dialled 12) is not found, where the classic walk
 *   goes on to it.
 * - E_CANMATCH / E_MATCHMORE: the search stops at the first node where the dialled string runs
 *   out with more pattern to come (`score->canmatch`), or a `.`/`!` match; the answer is that
 *   node's first extension down the first-child chain (`get_canmatch_exten`) or
 *   `trie_find_next_match`, WITHOUT any priority check. A `!` match in E_MATCHMORE is a final no.
 */
import {
  memberWanted,
  type ExtensionGroup, type LookupResult, type MatchableExtension, type MatchMode, type Wanted,
} from './pattern';
import { toBytes } from './pattern-syntax';

interface TrieNode<T extends MatchableExtension> {
  isPattern: boolean;
  specificity: number;
  /** Node text: one char, N/X/Z/./!//, or an expanded sorted set. */
  x: string;
  alt: TrieNode<T> | null;
  next: TrieNode<T> | null;
  exten: ExtensionGroup<T> | null;
}

interface PatternPiece { specif: number; buf: string }

/**
 * Coverage (lookup-cells.ts): told each test the walk makes on the DIALLED string (not on the
 * caller's number or the "/" it walks for a CID part) — "the character at `pos` is one of
 * `chars` (null: any character), or `pos` is past the end and `end`" — and its result. Strings
 * that pass the same tests with the same results are walked alike, so they get the same answer.
 */
export interface DialledProbe {
  test(pos: number, chars: string | null, end: boolean, holds: boolean): void;
  /** The string has no '/' from `pos` on (the scan of a `.` or `!` node reached its end). */
  noSlashFrom(pos: number): void;
}

/** `get_pattern_node`: the next node text from `src[pos]`, or buf '' at the end. */
function nextPiece(src: string, pos: number, pattern: boolean): [PatternPiece, number] {
  while (pos < src.length) {
    const ch = src[pos];
    if (ch === '[' && pattern) {
      pos++;
      const chars: number[] = [];
      let overflow = false;
      const put = (c: number) => { if (chars.length < 255) chars.push(c); else overflow = true; };
      for (;;) {
        const c = pos < src.length ? src[pos] : '';
        if (c === '\\') {
          pos++;
          const e = pos < src.length ? src[pos] : '';
          if (e === '[' || e === '\\' || e === '-' || e === ']') { put(e.charCodeAt(0)); pos++; }
        } else if (c === '-') {
          // "Possible char range": from the source char before '-' to the one after it.
          let first = src.charCodeAt(pos - 1);
          let nextPos = pos + 1;
          let last = nextPos < src.length ? src.charCodeAt(nextPos) : 0;
          if (last === 0x5c) { nextPos++; last = nextPos < src.length ? src.charCodeAt(nextPos) : 0; }
          if (chars.length && last) {
            while (++first <= last && first <= 0xff) put(first);
            pos = nextPos + 1;
          } else {
            put(0x2d);
            pos++;
          }
        } else if (c === '') {
          break; // "A matching ']' was not found"
        } else if (c === ']') {
          pos++;
          break;
        } else {
          put(c.charCodeAt(0));
          pos++;
        }
      }
      if (overflow || !chars.length) continue; // set ignored, read on
      const sorted = [...new Set(chars)].sort((a, b) => a - b);
      const buf = String.fromCharCode(...sorted);
      return [{ specif: (sorted.length << 8) | sorted[0], buf }, pos];
    }
    if (ch === '-') { pos++; continue; }
    let c = ch;
    if (c === '\\') {
      pos++;
      if (pos >= src.length) break;
      c = src[pos];
    } else if (pattern) {
      if (c === 'n') c = 'N';
      else if (c === 'x') c = 'X';
      else if (c === 'z') c = 'Z';
    }
    return [{ specif: 1, buf: c }, pos + 1];
  }
  return [{ specif: 0, buf: '' }, pos];
}

function specificityOf(piece: PatternPiece, isPattern: boolean): number {
  if (piece.specif === 1 && isPattern) {
    switch (piece.buf) {
      case 'N': return 0x0832;
      case 'Z': return 0x0931;
      case 'X': return 0x0a30;
      case '.': return 0x18000;
      case '!': return 0x28000;
    }
  }
  return piece.specif;
}

/** Where a sibling list starts: the context's `pattern_tree` or a node's `next_char`. */
type Slot<T extends MatchableExtension> = { next: TrieNode<T> | null };

interface Scoreboard<T extends MatchableExtension> {
  exten: ExtensionGroup<T> | null;
  lastChar: string;
  canmatch: boolean;
  canmatchExten: ExtensionGroup<T> | null;
  node: TrieNode<T> | null;
}

export function buildTrieIndex<T extends MatchableExtension>(groups: readonly ExtensionGroup<T>[], builtAfter?: number) {
  const root: Slot<T> = { next: null };
  /** `insert_in_next_chars_alt_char_list`: sorted by specificity, after equal ones. */
  function insertSorted(slot: Slot<T>, node: TrieNode<T>): void {
    if (!slot.next) { slot.next = node; return; }
    if (slot.next.specificity > node.specificity) { node.alt = slot.next; slot.next = node; return; }
    let prev = slot.next;
    for (let cur = prev.alt; cur; prev = cur, cur = cur.alt) {
      if (cur.specificity > node.specificity) { node.alt = cur; prev.alt = node; return; }
    }
    prev.alt = node;
  }

  function alreadyInTree(list: TrieNode<T> | null, x: string, isPattern: boolean): TrieNode<T> | null {
    for (let t = list; t; t = t.alt) if (t.isPattern === isPattern && t.x === x) return t;
    return null;
  }

  /** `add_exten_to_pattern_tree(con, e1, findonly=0)`. */
  function add(group: ExtensionGroup<T>): void {
    // `get_pattern_node` skips '-' outside sets itself, so the stored name can be used as is.
    const exten = toBytes(group.matchName);
    const buf = group.cid !== undefined ? `${exten}/${toBytes(group.cid)}` : exten;
    let pos = 0;
    let pattern = false;
    if (buf[0] === '_') { pattern = true; pos = 1; }
    let m1: TrieNode<T> | null = root.next;
    let m0: Slot<T> = root;
    let already = true;
    let cur: PatternPiece;
    [cur, pos] = nextPiece(buf, pos, pattern);
    while (cur.buf) {
      let next: PatternPiece;
      [next, pos] = nextPiece(buf, pos, pattern);
      let m2: TrieNode<T> | null = null;
      if (already && (m2 = alreadyInTree(m1, cur.buf, pattern)) && m2.next) {
        if (!next.buf) m2.exten = group;
        m1 = m2.next;
        m0 = m2;
      } else {
        if (m2) {
          m1 = m2;
        } else {
          const node: TrieNode<T> = { isPattern: pattern, specificity: specificityOf(cur, pattern), x: cur.buf, alt: null, next: null, exten: null };
          if (!root.next) insertSorted(root, node);
          else if (already) insertSorted(m0, node);
          else insertSorted(m1!, node);
          m1 = node;
          m0 = node;
        }
        if (!next.buf) m1.exten = group;
        already = false;
      }
      cur = next;
    }
  }

  // Newest registration first: the order `ast_hashtab_next` walks `root_table`.
  // With `builtAfter` = k, the tree was created by a lookup after k registrations (a label used
  // as a priority makes pbx_config call `ast_findlabel_extension2` while loading): those k are
  // inserted newest first, every later one on its own registration, in load order. A later one
  // is skipped when `root_table` already holds the same name without CID (the lookup in
  // `ast_add_extension2_lockopt` uses a no-CID dummy), i.e. a CID variant added after its plain one.
  const byAge = [...groups].sort((a, b) => a.registrationOrder - b.registrationOrder || a.rank - b.rank);
  const cut = builtAfter === undefined ? byAge.length : byAge.findIndex((g) => g.registrationOrder >= builtAfter);
  const early = cut < 0 ? byAge : byAge.slice(0, cut);
  const late = cut < 0 ? [] : byAge.slice(cut);
  for (const g of [...early].reverse()) add(g);
  const plainNames = new Set(early.filter((g) => g.cid === undefined).map((g) => g.matchName));
  for (const g of late) {
    if (g.cid === undefined || !plainNames.has(g.matchName)) add(g);
    if (g.cid === undefined) plainNames.add(g.matchName);
  }

  /**
   * `label`: E_FINDLABEL (mode is then 'match'). `callerMatches`: the caller's number is not
   * known; where a pattern tree's `/` would walk it through the CID matches below, each is asked
   * in walk order instead (E_MATCH: `_cid`, whether it matches; E_CANMATCH: `^_cid`, whether it
   * matches or is the start of a match, as the canmatch walk of the number takes it).
   */
  function search(mode: MatchMode, callerId: string | undefined, label: string | undefined, callerMatches?: (cid: string) => boolean, probe?: DialledProbe): (s: string) => Scoreboard<T> {
    const score: Scoreboard<T> = { exten: null, lastChar: '', canmatch: false, canmatchExten: null, node: null };
    const canOrMore = mode !== 'match';
    const cid = callerId ? toBytes(callerId) : '';
    const at = (s: string, i: number) => (i < s.length ? s[i] : '\0');
    /** candidate_exten_advance: next index, skipping '-'. `d`: s is the dialled string (probed). */
    const advance = (s: string, i: number, d: boolean) => {
      i++;
      if (d && probe) {
        while (record(i, '-', false, at(s, i) === '-')) i++;
        return i;
      }
      while (at(s, i) === '-') i++;
      return i;
    };
    /** Whether a character follows position i (dashes skipped): `*(str + 1)` in the C. */
    const more = (s: string, i: number, d: boolean) => {
      if (d && probe) return record(i, null, false, i < s.length) && record(advance(s, i, d), null, false, advance(s, i, false) < s.length);
      return i < s.length && advance(s, i, false) < s.length;
    };
    const strchr = (x: string, c: string) => c === '\0' || x.includes(c);
    const record = (pos: number, chars: string | null, end: boolean, holds: boolean) => {
      probe!.test(pos, chars, end, holds);
      return holds;
    };
    const canmatchExtenOf = (node: TrieNode<T>) => {
      for (let n: TrieNode<T> | null = node; n; n = n.next) if (n.exten) return n.exten;
      return null;
    };

    /** `new_find_extension`; returns true where the C code returns early. */
    function walk(s: string, i: number, tree: TrieNode<T> | null, d: boolean): void {
      const r = d && probe !== undefined;
      for (let p = tree; p; p = p.alt) {
        const c = at(s, i);
        if (p.isPattern) {
          const x0 = p.x[0];
          if (x0 === 'N' || x0 === 'Z' || x0 === 'X') {
            const lo = x0 === 'N' ? '2' : x0 === 'Z' ? '1' : '0';
            if (p.x.length === 1 && (r ? record(i, lo === '2' ? '23456789' : lo === '1' ? '123456789' : '0123456789', false, c >= lo && c <= '9') : c >= lo && c <= '9')) { if (step(p, s, i, d)) return; }
          } else if (p.x === '.' || p.x === '!') {
            let j = i;
            let count = p.x === '!' ? 1 : 0;
            while (j < s.length && s[j] !== '/') { j++; count++; }
            if (r) {
              // The scan reads up to the first '/': none ahead is one test (not one per length).
              if (j < s.length) for (let k = i; k <= j; k++) record(k, '/', false, k === j);
              else probe!.noSlashFrom(i);
            }
            if (p.exten && at(s, j) !== '/') {
              score.exten = p.exten; score.lastChar = p.x; score.node = p;
              return;
            }
            if (p.next && p.next.x === '/') {
              walk('/', 0, p.next, false);
              if (score.exten || (canOrMore && score.canmatch)) return;
            }
            void count; // lengths and specificity totals are kept by Asterisk but never decide
          } else if (p.x === '/') {
            if (p.next && (cid || callerMatches)) {
              if (callerMatches) assumeCallerMatch(p.next, callerMatches);
              else walk(cid, 0, p.next, false);
              if (score.exten || (canOrMore && score.canmatch)) return;
            }
          } else if (r ? record(i, p.x, true, strchr(p.x, c)) : strchr(p.x, c)) {
            if (step(p, s, i, d)) return;
          }
        } else if (r ? record(i, p.x, true, strchr(p.x, c)) : strchr(p.x, c)) {
          if (step(p, s, i, d)) return;
        }
      }
    }

    /**
     * The CID matches below a `/`, in the order the walk of a caller's number would reach them
     * (siblings in order, an extension ending at a node before the nodes below it): the first
     * the caller is taken to match is scored, as a walk that matched it would (E_FINDLABEL: one
     * without the label stays scored and the next may replace it). The whole `exten/cid` string
     * is read as a pattern here, so the question is asked as `_cid`; a CID written with its own
     * `_` never matches a real number and is not asked.
     */
    function assumeCallerMatch(list: TrieNode<T> | null, callerMatches: (cid: string) => boolean): boolean {
      for (let n = list; n; n = n.alt) {
        const g = n.exten;
        if (canOrMore) {
          // new_find_extension(callerid, …) in E_CANMATCH: a number that runs out inside the CID
          // pattern, or at its end (`action == E_CANMATCH`), sets score->canmatch
          // (NEW_MATCHER_RECURSE's `else if`), and so does a `.`/`!` match; the lookup answers with it.
          if (g && g.cid !== undefined && g.cid !== '' && g.cid[0] !== '_' && callerMatches(`^_${g.cid}`)) {
            score.canmatch = true;
            score.canmatchExten = g;
            return true;
          }
          if (assumeCallerMatch(n.next, callerMatches)) return true;
          continue;
        }
        if (g && g.cid !== undefined && g.cid !== '' && g.cid[0] !== '_' && callerMatches(`_${g.cid}`)) {
          score.exten = g; score.lastChar = ''; score.node = n;
          if (label === undefined || hasLabel(g, label)) return true;
        }
        if (assumeCallerMatch(n.next, callerMatches)) return true;
      }
      return false;
    }

    /** NEW_MATCHER_CHK_MATCH then NEW_MATCHER_RECURSE; true = return from walk. */
    function step(p: TrieNode<T>, s: string, i: number, d: boolean): boolean {
      const hasMore = more(s, i, d);
      if (p.exten && !hasMore && mode === 'match') {
        score.exten = p.exten; score.lastChar = ''; score.node = p;
        // E_FINDLABEL returns only when the label is there ("Found label in preferred extension").
        if (label === undefined || hasLabel(p.exten, label)) return true;
      }
      if (p.next && (hasMore || p.next.x === '/' || p.next.x[0] === '!')) {
        if (hasMore || p.next.x[0] === '!') {
          walk(s, advance(s, i, d), p.next, d);
          if (score.exten) return true;
        } else {
          walk('/', 0, p.next, false);
          if (score.exten || (canOrMore && score.canmatch)) return true;
        }
      } else if ((p.next || mode === 'canmatch') && !hasMore) {
        score.canmatch = true;
        score.canmatchExten = canmatchExtenOf(p);
        if (canOrMore) return true;
      }
      return false;
    }

    return (s: string) => { walk(s, 0, root.next, true); return score; };
  }

  /** `trie_find_next_match` (including its loop that re-examines the same first child). */
  function findNextMatch(node: TrieNode<T> | null): ExtensionGroup<T> | null {
    if (node && (node.x === '.' || node.x === '!')) return node.exten;
    if (!node || !node.next) return null;
    const m3 = node.next;
    if (m3.exten) return m3.exten;
    for (let m4 = m3.alt; m4; m4 = m4.alt) if (m4.exten) return m4.exten;
    return findNextMatch(m3);
  }

  /** `want` a label: E_FINDLABEL, with `mode` 'match'. */
  function find(dialed: string, callerId: string | undefined, want: Wanted, mode: MatchMode, callerMatches?: (cid: string) => boolean, probe?: DialledProbe): LookupResult<T> {
    // E_MATCHMORE (which no route question asks) would need its own question: there a number that
    // matches the CID pattern whole gives nothing, only a start of one does; it is not asked.
    const score = search(mode, callerId, typeof want === 'number' ? undefined : want.label, mode === 'matchmore' ? undefined : callerMatches, probe)(toBytes(dialed));
    const eroot = score.exten;
    const pick = (g: ExtensionGroup<T> | null): LookupResult<T> => ({ chosen: g ? g.members[0] : null, considered: g ? [g.members[0]] : [] });
    if (score.lastChar === '!' && mode === 'matchmore') return { chosen: null, considered: eroot ? [eroot.members[0]] : [] };
    if (!eroot && mode !== 'match' && score.canmatchExten) return pick(score.canmatchExten);
    if (mode !== 'match' && eroot) {
      if (!score.node) return pick(null);
      const z = findNextMatch(score.node);
      if (z) return pick(z);
      return pick(score.canmatchExten);
    }
    if (!eroot) return { chosen: null, considered: [] };
    // Found: look up the priority (or label) in this extension only; no further search in this context.
    return { chosen: memberWanted(eroot, want), considered: [eroot.members[0]] };
  }

  return { find };
}

/** Whether the extension's `peer_label_table` has `label`. */
function hasLabel<T extends MatchableExtension>(group: ExtensionGroup<T>, label: string): boolean {
  for (const m of group.members) if (m.registeredLabels?.has(label)) return true;
  return false;
}
