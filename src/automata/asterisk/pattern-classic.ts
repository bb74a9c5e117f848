/**
 * Index for the default lookup algorithm (`extenpatternmatchnew=no`, the default).
 *
 * What Asterisk does (main/pbx.c `pbx_find_extension`, the `else` branch "the old/current
 * default exten pattern match algorithm"): walk the context's sorted extension list
 * (`ast_walk_context_extensions`); for each entry run `extension_match_core(exten, dialled,
 * action)` (0 fail, 1 match, 2 early match at `!`); skip it when it fails or when it has a CID
 * match that `matchcid()` rejects; an early match in E_MATCHMORE ends the search with NULL;
 * otherwise look up the wanted priority in the entry's `peer_table` (E_FINDLABEL: the label in
 * its `peer_label_table`) and return it if present, else CONTINUE the walk with the next entry.
 *
 * The index gives the same answer without the linear walk: it collects every entry whose name
 * matches (with its 0/1/2 code), sorts those few by list rank, and replays the walk on them.
 * - Literals (always first in the list): a Map for E_MATCH; for E_CANMATCH/E_MATCHMORE a sorted
 *   key array and a prefix range (`ext_cmp_exten_partial`).
 * - Patterns: a trie of pattern tokens, simulated as an NFA over the dialled string. Entries
 *   below a `.` or `!` edge match as a block, so whole subtrees are returned from cached lists.
 * Cross-checked against the plain `matchCode` walk in test/asterisk-pattern.test.ts.
 */
import { DigitKeyTable } from './digit-table';
import { stripDashes, toBytes, tokenizePattern, type PatternToken } from './pattern-syntax';
import {
  cidMatches, compareLiteralKeys, matchCode, memberWanted,
  type ExtensionGroup, type LookupResult, type MatchableExtension, type MatchCode, type MatchMode, type Wanted,
} from './pattern';

interface PatternNode {
  /** Single-byte children by byte, for the common case (literal digits in patterns). */
  byByte: Map<number, PatternNode>;
  /** Multi-byte set children (N, X, Z, [..]) with their sets. */
  sets: { set: Uint8Array; key: string; node: PatternNode }[];
  dot?: PatternNode;
  bang?: PatternNode;
  empty?: PatternNode;
  broken?: PatternNode;
  /** Ranks of patterns whose tokens end exactly here. */
  ends: number[];
  /** Ranks of every pattern at or below this node, ascending (built lazily). */
  subtree?: number[];
}

const NO_RANKS: readonly number[] = [];

function newNode(): PatternNode {
  return { byByte: new Map(), sets: [], ends: [] };
}

function child(node: PatternNode, token: PatternToken): PatternNode {
  switch (token.kind) {
    case 'dot': return (node.dot ??= newNode());
    case 'bang': return (node.bang ??= newNode());
    case 'empty': return (node.empty ??= newNode());
    case 'broken': return (node.broken ??= newNode());
    case 'chars': {
      if (token.key.length === 1) {
        const c = token.key.charCodeAt(0);
        let next = node.byByte.get(c);
        if (!next) node.byByte.set(c, (next = newNode()));
        return next;
      }
      let entry = node.sets.find((s) => s.key === token.key);
      if (!entry) node.sets.push((entry = { set: token.set, key: token.key, node: newNode() }));
      return entry.node;
    }
  }
}

function subtreeOf(node: PatternNode): number[] {
  if (node.subtree) return node.subtree;
  const all = [...node.ends];
  for (const next of node.byByte.values()) all.push(...subtreeOf(next));
  for (const s of node.sets) all.push(...subtreeOf(s.node));
  for (const next of [node.dot, node.bang, node.empty, node.broken]) if (next) all.push(...subtreeOf(next));
  all.sort((a, b) => a - b);
  node.subtree = all;
  return all;
}

/*
 * A candidate is a group's rank with its match code (1 match, 2 early match at `!`), packed in one
 * number (rank * 4 + code) so collecting candidates allocates no pair per candidate.
 */
const candidate = (rank: number, code: MatchCode): number => rank * 4 + code;
const rankOf = (c: number): number => c >> 2;
const codeOf = (c: number): MatchCode => (c & 3) as MatchCode;
const byRank = (a: number, b: number): number => rankOf(a) - rankOf(b);

function addSubtree(node: PatternNode, code: MatchCode, out: number[]): void {
  for (const r of subtreeOf(node)) out.push(candidate(r, code));
}

/** Everything below `node` except via its `!` child (those are early matches, code 2). */
function partialCandidates(node: PatternNode, out: number[]): void {
  for (const next of node.byByte.values()) addSubtree(next, 1, out);
  for (const s of node.sets) addSubtree(s.node, 1, out);
  if (node.dot) addSubtree(node.dot, 1, out);
  if (node.empty) addSubtree(node.empty, 1, out);
  if (node.broken) addSubtree(node.broken, 1, out);
}

function countSoleLiterals<T extends MatchableExtension>(literals: Map<string, number[]>, groups: ExtensionGroup<T>[]): number {
  let n = 0;
  for (const ranks of literals.values()) if (ranks.length === 1 && groups[ranks[0]].members.length === 1 && groups[ranks[0]].cid === undefined) n++;
  return n;
}

export function buildClassicIndex<T extends MatchableExtension>(groups: ExtensionGroup<T>[]) {
  const literals = new Map<string, number[]>();
  const patternRanks: number[] = [];
  const root = newNode();
  /** patternCandidates' state lists (see there). */
  const scratchA: PatternNode[] = [];
  const scratchB: PatternNode[] = [];
  for (const g of groups) {
    const name = toBytes(g.matchName);
    if (name.charCodeAt(0) !== 0x5f) {
      const key = stripDashes(name);
      const list = literals.get(key);
      if (list) list.push(g.rank);
      else literals.set(key, [g.rank]);
      continue;
    }
    patternRanks.push(g.rank);
    let node = root;
    for (const token of tokenizePattern(name.slice(1))) {
      node = child(node, token);
      if (token.kind === 'broken') break;
    }
    node.ends.push(g.rank);
  }
  // Sorted as `ext_cmp_exten` sorts them, so a prefix range is contiguous and in list order.
  const literalKeys = [...literals.keys()].sort(compareLiteralKeys);
  // The hot case of lookups: a literal name held by one group of one member without a CID.
  // Mapping it straight to that member keeps an exact-match lookup to a couple of memory reads:
  // all-digit names (nearly all of a big dialplan's) in a DigitKeyTable, the others in a Map.
  const soleCount = countSoleLiterals(literals, groups);
  const soleDigits = new DigitKeyTable<T>(soleCount);
  const soleLiterals = new Map<string, T>();
  for (const [key, ranks] of literals) {
    if (ranks.length !== 1) continue;
    const g = groups[ranks[0]];
    if (g.members.length === 1 && g.cid === undefined && !soleDigits.set(key, g.members[0])) soleLiterals.set(key, g.members[0]);
  }

  /**
   * Literal groups whose name matches, in list order (`_extension_match_core`, non-pattern
   * branch). Literals all sort before patterns and among themselves in byte order of the
   * dash-free name, which is the order of `literalKeys`; so a prefix range is walked lazily.
   */
  function literalCandidates(data: string, mode: MatchMode): Iterable<number> {
    // An exact match is one key's list; no generator needed.
    if (mode === 'match') return literals.get(data) ?? NO_RANKS;
    return literalPrefixCandidates(data, mode);
  }

  function* literalPrefixCandidates(data: string, mode: MatchMode): Generator<number> {
    let lo = 0;
    let hi = literalKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareLiteralKeys(literalKeys[mid].slice(0, data.length), data) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < literalKeys.length && literalKeys[k].startsWith(data); k++) {
      if (mode === 'matchmore' && literalKeys[k].length === data.length) continue;
      yield* literals.get(literalKeys[k])!;
    }
  }

  /** Pattern groups whose name matches, as candidates (rank and match code), in no particular order. */
  function patternCandidates(raw: string, data: string, mode: MatchMode): number[] {
    const out: number[] = [];
    // A dialled "pattern" is compared as a pattern first (E_MATCH only); rare, so scan.
    if (mode === 'match' && raw.charCodeAt(0) === 0x5f) {
      for (const r of patternRanks) if (matchCode(groups[r].matchName, raw, mode)) out.push(candidate(r, 1));
      return out;
    }
    // The trie as an NFA: the nodes reached so far, `count` of them at the start of `states`.
    // Two arrays kept with the index take turns (no array made per character: a route query
    // of a 12-digit number made twelve), each filled from its start with a count, never
    // emptied (setting `length` is a runtime call). Nothing in this loop calls out, so one
    // pair serves every call.
    let states = scratchA;
    let spare = scratchB;
    states[0] = root;
    let count = 1;
    for (let k = 0; k < data.length && count > 0; k++) {
      const c = data.charCodeAt(k);
      let reached = 0;
      // The order withEmptyEdges gives: the last state first, each followed by what its
      // `empty` edges lead to (followed as epsilon moves while data is left).
      for (let i = count - 1; i >= 0; i--) {
        for (let n: PatternNode | undefined = states[i]; n !== undefined; n = n.empty) {
          if (n.dot) addSubtree(n.dot, 1, out);
          if (n.bang) addSubtree(n.bang, 2, out);
          const single = n.byByte.get(c);
          if (single) spare[reached++] = single;
          for (const s of n.sets) if (s.set[c]) spare[reached++] = s.node;
        }
      }
      const used = states;
      states = spare;
      spare = used;
      count = reached;
    }
    // The dialled string is used up: what is next in each pattern decides.
    for (let i = 0; i < count; i++) {
      const n = states[i];
      if (mode !== 'matchmore') for (const r of n.ends) out.push(candidate(r, 1));
      if (n.bang) addSubtree(n.bang, 2, out);
      if (mode !== 'match') partialCandidates(n, out);
    }
    return out;
  }

  /**
   * The hot case of route queries: an exact literal that has the priority and no CID
   * restriction. Literals come first in walk order, so the first such group is the answer.
   */
  function soleLiteral(data: string, priority: number, mode: MatchMode): T | undefined {
    if (mode !== 'match') return undefined;
    const digits = soleDigits.get(data);
    // null: not a digit string, so the table does not hold it.
    const sole = digits === null ? soleLiterals.get(data) : digits;
    return sole !== undefined && sole.hasPriority(priority) ? sole : undefined;
  }

  function find(dialed: string, callerId: string | undefined, priority: number, mode: MatchMode): LookupResult<T> {
    const raw = toBytes(dialed);
    const data = stripDashes(raw);
    const sole = soleLiteral(data, priority, mode);
    if (sole !== undefined) return { chosen: sole, considered: [sole] };
    return walk(raw, data, callerId, priority, mode);
  }

  /** find() when only the chosen entry is wanted: the fast path allocates nothing. */
  function choose(dialed: string, callerId: string | undefined, priority: number, mode: MatchMode): T | null {
    // A dialled string of digits alone is its own byte and dash-free form: the table is asked
    // directly, without the two scans that make those forms.
    if (mode === 'match') {
      const digits = soleDigits.get(dialed);
      if (digits !== null && digits !== undefined && digits.hasPriority(priority)) return digits;
    }
    const raw = toBytes(dialed);
    const data = stripDashes(raw);
    return soleLiteral(data, priority, mode) ?? walk(raw, data, callerId, priority, mode).chosen;
  }

  /**
   * E_FINDLABEL: the walk of E_MATCH, stopping at the first entry whose label table has `label`
   * (the sole-literal shortcut is about priorities, so it is not taken). `anyCaller`: every CID
   * match passes.
   */
  function chooseLabel(dialed: string, callerId: string | undefined, label: string, anyCaller: boolean): T | null {
    const raw = toBytes(dialed);
    return walk(raw, stripDashes(raw), callerId, { label }, 'match', anyCaller).chosen;
  }

  /**
   * The lookup for a caller whose number is not known: where the walk meets a CID match that
   * decides it (the entry has what is wanted, or it is E_MATCHMORE's final "no"), the caller's
   * number is taken to match it when `callerMatches(cid)` says so. A CID match that would not
   * end the walk is passed over without asking: the walk goes on either way.
   */
  function chooseForCaller(dialed: string, want: Wanted, mode: MatchMode, callerMatches: (cid: string) => boolean): T | null {
    const raw = toBytes(dialed);
    const data = stripDashes(raw);
    // A sole literal has no CID match and comes before every entry that could have one.
    const sole = typeof want === 'number' ? soleLiteral(data, want, mode) : undefined;
    return sole ?? walk(raw, data, undefined, want, mode, false, callerMatches).chosen;
  }

  /** The list walk, over the candidates the index gives. */
  function walk(raw: string, data: string, callerId: string | undefined, want: Wanted, mode: MatchMode, anyCaller = false, callerMatches?: (cid: string) => boolean): LookupResult<T> {
    const considered: T[] = [];
    for (const rank of literalCandidates(data, mode)) {
      const answer = visit(rank, 1, callerId, want, mode, considered, anyCaller, callerMatches);
      if (answer) return answer;
    }
    // In list order; a rank collected twice counts with the code it was first collected with.
    const found = patternCandidates(raw, data, mode).sort(byRank);
    let previous = -1;
    for (const c of found) {
      const rank = rankOf(c);
      if (rank === previous) continue;
      previous = rank;
      const answer = visit(rank, codeOf(c), callerId, want, mode, considered, anyCaller, callerMatches);
      if (answer) return answer;
    }
    return { chosen: null, considered };
  }

  /** One step of the walk (adding to `considered`); returns the answer when the walk ends here. */
  function visit(rank: number, code: MatchCode, callerId: string | undefined, want: Wanted, mode: MatchMode, considered: T[], anyCaller: boolean, callerMatches?: (cid: string) => boolean): LookupResult<T> | undefined {
    const group = groups[rank];
    if (group.cid !== undefined && !anyCaller) {
      if (callerMatches === undefined) {
        if (!cidMatches(group.cid, callerId)) return undefined;
      } else {
        const decides = (code === 2 && mode === 'matchmore') || memberWanted(group, want) !== null;
        if (!decides || !callerMatches(group.cid)) return undefined;
      }
    }
    considered.push(group.members[0]);
    // "We match an extension ending in '!'. The decision in this case is final and is NULL."
    if (code === 2 && mode === 'matchmore') return { chosen: null, considered };
    const chosen = memberWanted(group, want);
    if (!chosen) return undefined;
    considered[considered.length - 1] = chosen;
    return { chosen, considered };
  }

  return { find, choose, chooseLabel, chooseForCaller };
}
