/**
 * The Asterisk pattern engine against main/pbx.c behaviour (asterisk/asterisk master f0c1c1a7).
 * Each case names the pbx.c function whose behaviour it checks.
 */
import {
  buildContextIndex, cidCanMatch, cidMatchNameOf, cidMatches, compareExtensionNames, compareExtensions,
  extensionMatches, extensionNameKey, findInContext, isPattern, matchCode, matchNameOf,
  type LookupAlgorithm, type MatchableExtension, type MatchMode,
} from '../src/automata/asterisk/pattern';

interface Entry extends MatchableExtension {
  written: string;
  priorities: number[];
}

/** `name` or `name/cid`, with priorities (default [1]), in registration (config) order. */
type Spec = string | [string, number[]];

function contextOf(specs: Spec[]): Entry[] {
  const entries = specs.map((spec, i): Entry => {
    const [written, priorities] = typeof spec === 'string' ? [spec, [1]] : spec;
    const slash = written.indexOf('/');
    const name = slash < 0 ? written : written.slice(0, slash);
    const cid = slash < 0 ? undefined : cidMatchNameOf(written.slice(slash + 1));
    return {
      written, priorities, matchName: matchNameOf(name), cid, registrationOrder: i,
      hasPriority: (p) => priorities.includes(p),
    };
  });
  // Array.prototype.sort is stable: equal entries keep registration order, as Asterisk merges them.
  return entries.sort(compareExtensions);
}

interface Case {
  why: string;
  dialed: string;
  callerId?: string;
  entries: Spec[];
  priority?: number;
  mode?: MatchMode;
  algorithm?: LookupAlgorithm;
  /** Written name (with /cid) of the chosen entry, or null. */
  winner: string | null;
}

const NANP = ['_X.', '_NXXNXXXXXX', '_1NXXNXXXXXX', '_X!'];

const cases: Case[] = [
  // ---- ext_cmp / ext_cmp_pattern_pos sort order, first match wins (pbx_find_extension walk)
  { why: 'ext_cmp_pattern_pos: literal 1 (0x131) sorts before X; N fails on 1', dialed: '12125551234', entries: NANP, winner: '_1NXXNXXXXXX' },
  { why: 'ext_cmp_pattern_pos: N (0x832) before X (0xa30)', dialed: '2125551234', entries: NANP, winner: '_NXXNXXXXXX' },
  { why: 'ext_cmp_pattern_pos: ended pattern (0x30000) sorts after N; the longer one fails', dialed: '212', entries: ['_[2-9]XX', '_NXXNXXXXXX', '_X.'], winner: '_[2-9]XX' },
  { why: 'ext_cmp: literals sort before every pattern', dialed: '1234', entries: ['_X.', '_1XXX', '1234'], winner: '1234' },
  { why: 'ext_cmp_pattern: first differing position decides, not the number of fixed digits', dialed: '1234', entries: ['_[1-2]234', '_1XXX'], winner: '_1XXX' },
  { why: '_extension_match_core: . needs at least one more char, ! zero or more', dialed: '5', entries: ['_X.', '_X!'], winner: '_X!' },
  { why: 'ext_cmp_pattern_pos: . (0x18000) sorts before ! (0x28000)', dialed: '55', entries: ['_X!', '_X.'], winner: '_X.' },
  { why: 'ext_cmp_pattern_pos: ! (0x28000) sorts before end of pattern (0x30000)', dialed: '5', entries: ['_X', '_X!'], winner: '_X!' },
  { why: '_extension_match_core: . alone needs two digits for _X.', dialed: '5', entries: ['_X.'], winner: null },
  { why: '_extension_match_core: lowercase n/x/z are wildcards', dialed: '2125551234', entries: ['_nxxnxxxxxx'], winner: '_nxxnxxxxxx' },
  { why: '_extension_match_core: z is 1-9, so 0 fails', dialed: '05', entries: ['_zx'], winner: null },
  { why: 'ext_cmp_exten: a literal "nxx" is only the string nxx', dialed: '234', entries: ['nxx'], winner: null },
  { why: 'ext_cmp_exten: literal letters match themselves', dialed: 'nxx', entries: ['nxx', '_X.'], winner: 'nxx' },
  { why: '_extension_match_core: - in the pattern is skipped', dialed: '2125551234', entries: ['_NXX-NXX-XXXX'], winner: '_NXX-NXX-XXXX' },
  { why: 'ext_cmp_exten: - in the dialled string is skipped', dialed: '212-555-1234', entries: ['2125551234'], winner: '2125551234' },
  { why: '_extension_match_core: set of single chars', dialed: '7', entries: ['_[13579]'], winner: '_[13579]' },
  { why: '_extension_match_core: char not in set', dialed: '8', entries: ['_[13579]'], winner: null },
  { why: '_extension_match_core: ranges and singles in one set', dialed: '5', entries: ['_[0-35-9]'], winner: '_[0-35-9]' },
  { why: '_extension_match_core: gap in a set with ranges', dialed: '4', entries: ['_[0-35-9]'], winner: null },
  { why: '_extension_match_core: empty set [] is skipped while data remains', dialed: '12', entries: ['_1[]2'], winner: '_1[]2' },
  { why: '_extension_match_core: data ending at [] is only a partial match', dialed: '1', entries: ['_1[]'], winner: null },
  { why: '_extension_match_core: broken [ never matches ("Wrong usage of [] in the extension")', dialed: '12', entries: ['_1[2'], winner: null },
  // ---- caller ID (matchcid, ast_add_extension2_lockopt ordering)
  { why: 'ast_add_extension2_lockopt: CID variant sorts before the plain one', dialed: '100', callerId: '5551234', entries: ['100', '100/5551234'], winner: '100/5551234' },
  { why: 'matchcid: other caller falls to the plain extension', dialed: '100', callerId: '5559999', entries: ['100', '100/5551234'], winner: '100' },
  { why: 'matchcid: empty CID pattern matches a call without caller number', dialed: '100', entries: ['100', '100/'], winner: '100/' },
  { why: 'matchcid: empty CID pattern does not match a caller number', dialed: '100', callerId: '555', entries: ['100', '100/'], winner: '100' },
  { why: 'matchcid: a _ CID is a pattern (ast_extension_match)', dialed: '100', callerId: '5551234', entries: ['100', '100/_555XXXX'], winner: '100/_555XXXX' },
  { why: 'ast_add_extension2_lockopt: CIDs compare with ext_cmp, literal CID first', dialed: '100', callerId: '5551234', entries: ['100/_555XXXX', '100/5551234'], winner: '100/5551234' },
  { why: 'matchcid: CID-only extension and no caller number: no match', dialed: '100', entries: ['100/5551234'], winner: null },
  { why: 'ast_shrink_phone_number: (555) 123-4567 CID is 5551234567', dialed: '100', callerId: '5551234567', entries: ['100/(555) 123-4567'], winner: '100/(555) 123-4567' },
  // ---- priorities (pbx_find_extension: continue when the priority is missing)
  { why: 'pbx_find_extension: entry without the priority is passed over, walk continues', dialed: '2125551234', entries: [['_NXXNXXXXXX', [2]], '_X.'], winner: '_X.' },
  { why: 'pbx_find_extension: no entry has priority 1: not found', dialed: '2125551234', entries: [['_NXXNXXXXXX', [2, 3]]], winner: null },
  { why: 'add_priority: _NXX and _[2-9]XX are one extension; priority 2 comes from the second line', dialed: '212', priority: 2, entries: ['_NXX', ['_[2-9]XX', [2]]], winner: '_[2-9]XX' },
  { why: 'add_priority: _1-NXX is _1NXX; its priority 1 counts', dialed: '1212', entries: [['_1NXX', [2]], '_1-NXX', '_X.'], winner: '_1-NXX' },
  // ---- E.164 '+'
  { why: 'ext_cmp_pattern_pos: + is a literal char (0x12b) before X', dialed: '+12025551234', entries: ['_X.', '_+1NXXNXXXXXX'], winner: '_+1NXXNXXXXXX' },
  { why: '_extension_match_core: + is not a digit for N or X', dialed: '+12025551234', entries: ['_NXXNXXXXXX', '_1NXXNXXXXXX', '_X.'], winner: null },
  { why: 'ext_cmp: literal E.164 before the E.164 pattern', dialed: '+12025551234', entries: ['_+1NXXNXXXXXX', '+12025551234'], winner: '+12025551234' },
  { why: '_extension_match_core: _+X. does not need the 1', dialed: '+442071234567', entries: ['_+1NXXNXXXXXX', '_+X.'], winner: '_+X.' },
  // ---- E_CANMATCH / E_MATCHMORE (chan_pjsip 484 decisions)
  { why: '_extension_match_core E_CANMATCH: prefix of a pattern (overlap: 484)', dialed: '202', mode: 'canmatch', entries: ['_NXXNXXXXXX'], winner: '_NXXNXXXXXX' },
  { why: '_extension_match_core E_MATCH: prefix is not a match', dialed: '202', entries: ['_NXXNXXXXXX'], winner: null },
  { why: '_extension_match_core E_MATCHMORE: a complete match needs nothing more', dialed: '2025551234', mode: 'matchmore', entries: ['_NXXNXXXXXX'], winner: null },
  { why: '_extension_match_core E_MATCHMORE: . returns 1 whatever the mode', dialed: '55', mode: 'matchmore', entries: ['_X.'], winner: '_X.' },
  { why: 'pbx_find_extension E_MATCHMORE: early match at ! is a final no', dialed: '1', mode: 'matchmore', entries: ['_1!', '_1[2'], winner: null },
  { why: '_extension_match_core E_CANMATCH: ! counts as a match', dialed: '5', mode: 'canmatch', entries: ['_X!'], winner: '_X!' },
  { why: '_extension_match_core E_CANMATCH: literal prefix (ext_cmp_exten_partial)', dialed: '10', mode: 'canmatch', entries: ['100', '200'], winner: '100' },
  { why: '_extension_match_core E_MATCHMORE: literal of the same length needs no more', dialed: '100', mode: 'matchmore', entries: ['100'], winner: null },
  { why: '_extension_match_core E_MATCHMORE: literal 1 is not longer, the pattern is', dialed: '1', mode: 'matchmore', entries: ['1', '_1NXXNXXXXXX'], winner: '_1NXXNXXXXXX' },
  { why: '_extension_match_core E_CANMATCH: broken [ still gives a partial match before it', dialed: '1', mode: 'canmatch', entries: ['_1[2'], winner: '_1[2' },
  { why: 'pbx_find_extension E_CANMATCH also checks the priority', dialed: '20', mode: 'canmatch', entries: [['_NXX', [2]]], winner: null },

  // ---- extenpatternmatchnew=yes (new_find_extension): same answers where the trie agrees
  { why: 'new_find_extension: siblings sorted by specificity, 1 before N before X', algorithm: 'trie', dialed: '12125551234', entries: NANP, winner: '_1NXXNXXXXXX' },
  { why: 'new_find_extension: N before X', algorithm: 'trie', dialed: '2125551234', entries: NANP, winner: '_NXXNXXXXXX' },
  { why: 'new_find_extension: _X. needs two chars (recursion needs MORE(str))', algorithm: 'trie', dialed: '5', entries: ['_X.'], winner: null },
  { why: 'new_find_extension: . node matches the rest', algorithm: 'trie', dialed: '55', entries: ['_X.', '_X!'], winner: '_X.' },
  { why: 'new_find_extension: ADVANCE skips - in the dialled string', algorithm: 'trie', dialed: '212-555-1234', entries: ['_NXXNXXXXXX'], winner: '_NXXNXXXXXX' },
  { why: 'new_find_extension: backtracks when the first branch fails', algorithm: 'trie', dialed: '212', entries: ['_[2-9]XX', '_NXXNXXXXXX', '_X.'], winner: '_[2-9]XX' },
  { why: 'new_find_extension E_CANMATCH: prefix sets canmatch (canmatch_exten)', algorithm: 'trie', mode: 'canmatch', dialed: '202', entries: ['_NXXNXXXXXX'], winner: '_NXXNXXXXXX' },
  { why: 'pbx_find_extension trie: ! match in E_MATCHMORE is a final no', algorithm: 'trie', mode: 'matchmore', dialed: '55', entries: ['_X!'], winner: null },
  // ---- ... and where it picks differently from the classic walk
  { why: 'new_find_extension: CHK_MATCH before RECURSE, so _X (exten at this node) beats _X! (classic: _X!)', algorithm: 'trie', dialed: '5', entries: ['_X', '_X!'], winner: '_X' },
  { why: 'new_find_extension: ! followed only as FIRST child; with _XX present "5" matches nothing (classic: _X!)', algorithm: 'trie', dialed: '5', entries: ['_X!', '_XX'], winner: null },
  { why: 'new_find_extension: the no-CID extension ends at an earlier node and wins (classic: CID variant)', algorithm: 'trie', dialed: '212', callerId: '5551234', entries: ['_NXX', '_NXX/5551234'], winner: '_NXX' },
  { why: 'new_find_extension: CID continues from the / node when no plain variant exists', algorithm: 'trie', dialed: '212', callerId: '5551234', entries: ['_NXX/5551234'], winner: '_NXX/5551234' },
  { why: 'add_exten_to_pattern_tree: a _ CID pattern is literal text in the tree, never matches a number', algorithm: 'trie', dialed: '212', callerId: '5551234', entries: ['_NXX/_555XXXX'], winner: null },
  { why: 'add_exten_to_pattern_tree: a CID without _ on a pattern extension is parsed as pattern (classic: literal)', algorithm: 'trie', dialed: '2125551234', callerId: '5551234', entries: ['_X./555XXXX'], winner: '_X./555XXXX' },
  { why: 'matchcid: the same CID without _ is compared literally by the classic walk', dialed: '2125551234', callerId: '5551234', entries: ['_X./555XXXX'], winner: null },
  { why: 'new_find_extension: literal tree compares "/" literally, so 100/5551234 never matches', algorithm: 'trie', dialed: '100', callerId: '5551234', entries: ['100/5551234'], winner: null },
  { why: 'new_find_extension: literal 100/ (empty CID) matches any caller', algorithm: 'trie', dialed: '100', callerId: '5551234', entries: ['100/'], winner: '100/' },
  { why: 'pbx_find_extension trie: missing priority ends the search (classic continues to _X.)', algorithm: 'trie', dialed: '2125551234', entries: [['_NXXNXXXXXX', [2]], '_X.'], winner: null },
  { why: 'new_find_extension: node text exactly "N" is the wildcard even when written [N]', algorithm: 'trie', dialed: '5', entries: ['_[N]'], winner: '_[N]' },
  { why: 'new_find_extension: literal and pattern nodes tie at specificity 1; newest registration is inserted first', algorithm: 'trie', dialed: '1234', entries: ['1234', '_1234!'], winner: '_1234!' },
  { why: 'new_find_extension: same tie, other registration order', algorithm: 'trie', dialed: '1234', entries: ['_1234!', '1234'], winner: '1234' },
  { why: 'pbx_find_extension trie E_CANMATCH: canmatch_exten returned without priority check', algorithm: 'trie', mode: 'canmatch', dialed: '20', entries: [['_NXX', [2]]], winner: '_NXX' },
];

describe('findInContext: which extension pbx_find_extension picks', () => {
  test.each(cases.map((c) => [`${c.algorithm ?? 'classic'} ${c.mode ?? 'match'} "${c.dialed}": ${c.why}`, c] as const))('%s', (_title, c) => {
    const sorted = contextOf(c.entries);
    const result = findInContext(sorted, c.dialed, c.callerId, c.priority ?? 1, c.mode ?? 'match', c.algorithm ?? 'classic');
    expect(result.chosen?.written ?? null).toBe(c.winner);
  });

  test('considered lists the matching entries in walk order', () => {
    const sorted = contextOf([['_NXXNXXXXXX', [2]], '_X.', '_X!']);
    const { chosen, considered } = findInContext(sorted, '2125551234', undefined, 1, 'match', 'classic');
    expect(chosen?.written).toBe('_X.');
    expect(considered.map((e) => e.written)).toEqual(['_NXXNXXXXXX', '_X.']);
  });
});

describe('trie built during load (trieBuiltAfter)', () => {
  test('ast_add_extension2_lockopt appends later registrations in load order', () => {
    const sorted = contextOf(['1234', '_1234!']);
    // default: built after load from root_table, newest first: the pattern node comes first
    expect(buildContextIndex(sorted).find('1234', undefined, 1, 'match', 'trie').chosen?.written).toBe('_1234!');
    // built before anything was registered: every extension appended in load order
    expect(buildContextIndex(sorted, { trieBuiltAfter: 0 }).find('1234', undefined, 1, 'match', 'trie').chosen?.written).toBe('1234');
  });
});

describe('names and sort order', () => {
  test('matchNameOf: ext_strncpy drops spaces and - outside [...] (patterns only)', () => {
    expect(matchNameOf('_1-NXX-[0-9] XX')).toBe('_1NXX[0-9]XX');
    expect(matchNameOf('_[1- 3]')).toBe('_[1- 3]');
    expect(matchNameOf('555-[1-2]')).toBe('555[12]');
    expect(isPattern('_X.')).toBe(true);
    expect(isPattern('s')).toBe(false);
  });

  test('compareExtensionNames === 0 for names Asterisk treats as one extension', () => {
    expect(compareExtensionNames('_NXX', '_[2-9]XX')).toBe(0);
    expect(compareExtensionNames('_1-NXX', '_1NXX')).toBe(0);
    expect(compareExtensionNames('_nxx', '_NXX')).toBe(0);
    expect(compareExtensionNames('_[23]', '_[32]')).toBe(0);
    expect(compareExtensionNames('_1[]2', '_12')).toBe(0); // empty set ignored by ext_cmp_pattern_pos
    expect(compareExtensionNames('123', '1-2-3')).toBe(0);
  });

  test('extensionNameKey: equal exactly when compareExtensionNames finds the names equal (ext_cmp)', () => {
    expect(extensionNameKey('_NXX')).toBe(extensionNameKey('_[2-9]xx'));
    expect(extensionNameKey('1-0-0')).toBe(extensionNameKey('100'));
    expect(extensionNameKey('_[5-39]')).not.toBe(extensionNameKey('_[9]')); // same set, lower cmin
    expect(extensionNameKey('_1')).not.toBe(extensionNameKey('1'));
    let seed = 99;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    // Spellings of the same position ('1', '[1]', '[1-1]'; 'N', 'n', '[2-9]'; 'X', '[0-9]' …) and odd ones.
    const tokens = ['1', '[1]', '[11]', '[1-1]', '-', 'N', 'n', '[2-9]', 'X', 'x', '[0-9]', 'Z', '[1-9]', '[]', '.', '!', '[2', '[9-0]', '[5-39]', '[9]', 'é', ' ', '/', '_'];
    const names = Array.from({ length: 600 }, () => (rand(4) ? '_' : '') + Array.from({ length: rand(3) }, () => tokens[rand(tokens.length)]).join(''));
    const keys = names.map(extensionNameKey);
    let equal = 0;
    names.forEach((a, i) => names.forEach((b, j) => {
      const same = compareExtensionNames(a, b) === 0;
      if ((keys[i] === keys[j]) !== same) throw new Error(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: ext_cmp ${same ? 'equal' : 'different'}`);
      if (same && a !== b) equal++;
    }));
    expect(equal).toBeGreaterThan(1000);
  });

  test('compareExtensionNames orders as ext_cmp', () => {
    const names = ['_X!', '_1[2', '_NXX', '_X.', '200', '_[1-2]234', '_1XXX', '100', '_X', '_+1NXXNXXXXXX'];
    const sorted = [...names].sort(compareExtensionNames);
    expect(sorted).toEqual(['100', '200', '_+1NXXNXXXXXX', '_1XXX', '_1[2', '_[1-2]234', '_NXX', '_X.', '_X!', '_X']);
    // same score (2 members from '1'), lower bitmap first: [13] before [14]
    expect(compareExtensionNames('_[13]', '_[14]')).toBeLessThan(0);
    // broken set (0x40000) sorts after end of pattern (0x30000)
    expect(compareExtensionNames('_1[2', '_1')).toBeGreaterThan(0);
  });

  test('non-ASCII names compare as signed C chars (x86-64): UTF-8 bytes sort before digits', () => {
    expect(compareExtensionNames('é', '1')).toBeLessThan(0);
    expect(compareExtensionNames('_é', '_1')).toBeGreaterThan(0); // ext_cmp_pattern_pos uses unsigned char
    expect(extensionMatches('_[0-é]', '5', 'match')).toBe(false); // signed range 48..-61 is empty
    expect(extensionMatches('_[é-9]', '5', 'match')).toBe(true);
    expect(findInContext(contextOf(['1', 'é', '_X']), 'é', undefined, 1, 'match', 'classic').chosen?.written).toBe('é');
  });

  test('compareExtensions: CID variants first, literal CID before pattern CID', () => {
    const plain = { matchName: '100' };
    const lit = { matchName: '100', cid: '5551234' };
    const pat = { matchName: '100', cid: '_555XXXX' };
    expect(compareExtensions(lit, plain)).toBeLessThan(0);
    expect(compareExtensions(plain, pat)).toBeGreaterThan(0);
    expect(compareExtensions(lit, pat)).toBeLessThan(0);
    expect(compareExtensions(plain, { matchName: '100' })).toBe(0);
  });

  test('cidMatches models matchcid()', () => {
    expect(cidMatches(undefined, undefined)).toBe(true);
    expect(cidMatches(undefined, '555')).toBe(true);
    expect(cidMatches('', undefined)).toBe(true);
    expect(cidMatches('', '555')).toBe(false);
    expect(cidMatches('555', undefined)).toBe(false);
    expect(cidMatches('_5XX', '555')).toBe(true);
    expect(cidMatches('5XX', '555')).toBe(false); // no _: literal
  });

  test('extensionMatches: ast_extension_match / ast_extension_close', () => {
    expect(extensionMatches('_X.', '12', 'match')).toBe(true);
    expect(extensionMatches('_X.', '1', 'match')).toBe(false);
    expect(extensionMatches('_X.', '1', 'canmatch')).toBe(true);
    expect(extensionMatches('_X.', '1', 'matchmore')).toBe(true);
    expect(extensionMatches('_X!', '', 'match')).toBe(false); // X needs a char
    expect(extensionMatches('_!', '', 'match')).toBe(true);
    expect(extensionMatches('_NXX', '', 'canmatch')).toBe(true);
    expect(extensionMatches('100', '', 'canmatch')).toBe(true); // ld == 0
    expect(matchCode('_1!', '1', 'match')).toBe(2);
    expect(extensionMatches('_X.', '_X.', 'match')).toBe(true); // "_x. will not match _x. !!!"
    expect(extensionMatches('_[9-0]', '5', 'match')).toBe(false); // reversed range matches nothing
  });
});

describe('the index agrees with a plain list walk', () => {
  // A reference walk straight from pbx_find_extension, against the index, on random contexts.
  function walk(sorted: Entry[], dialed: string, callerId: string | undefined, priority: number, mode: MatchMode): string | null {
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i];
      // Entries that compare equal are one ast_exten named as the first registered (`_[]` and `_`
      // are one extension, and it is `_[]`'s name that extension_match_core tests).
      let first = i;
      while (first > 0 && compareExtensions(sorted[first - 1], e) === 0) first--;
      const code = matchCode(sorted[first].matchName, dialed, mode);
      if (!code || !cidMatches(e.cid, callerId)) continue;
      if (code === 2 && mode === 'matchmore') return null;
      // the whole group (equal entries) shares the priorities
      let j = i;
      while (j > 0 && compareExtensions(sorted[j - 1], e) === 0) j--;
      for (; j < sorted.length && compareExtensions(sorted[j], e) === 0; j++) if (sorted[j].hasPriority(priority)) return sorted[j].written;
      while (i + 1 < sorted.length && compareExtensions(sorted[i + 1], e) === 0) i++;
    }
    return null;
  }

  let seed = 12345;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
  const tokens = ['1', '2', '5', '0', '+', 'N', 'X', 'Z', 'x', '[1-3]', '[25]', '[]', '-', '*', '#'];
  const tails = ['', '', '', '.', '!', '[2'];
  const randomName = () => {
    if (rand(3) === 0) return Array.from({ length: 1 + rand(4) }, () => pick(['1', '2', '5', '-', '0'])).join('');
    return '_' + Array.from({ length: rand(5) }, () => pick(tokens)).join('') + pick(tails);
  };
  const randomDialed = () => Array.from({ length: rand(6) }, () => pick(['1', '2', '5', '0', '+', '-', '9', '*'])).join('');

  test('500 random contexts × 40 queries, all modes, with CIDs and missing priorities', () => {
    let compared = 0;
    for (let round = 0; round < 500; round++) {
      const specs: Spec[] = Array.from({ length: 1 + rand(12) }, () => {
        const cid = rand(4) === 0 ? pick(['/', '/55', '/_5X', '/5-5']) : '';
        return [randomName() + cid, rand(3) === 0 ? [2] : [1, 2]] as Spec;
      });
      const sorted = contextOf(specs);
      const index = buildContextIndex(sorted);
      for (let q = 0; q < 40; q++) {
        const dialed = randomDialed();
        const callerId = pick([undefined, '55', '59', '']);
        const mode = pick(['match', 'canmatch', 'matchmore'] as const);
        const priority = pick([1, 2]);
        const expected = walk(sorted, dialed, callerId, priority, mode);
        const got = index.find(dialed, callerId, priority, mode, 'classic').chosen?.written ?? null;
        if (got !== expected) {
          throw new Error(`mismatch for ${JSON.stringify({ specs, dialed, callerId, mode, priority, expected, got })}`);
        }
        compared++;
      }
    }
    expect(compared).toBe(20000);
  });

  test('chooseForCaller, answering each CID question as a given caller would, picks what that caller\'s lookup picks', () => {
    // The unknown-caller lookup (find.ts forks on its questions) checked against the known-caller
    // one: classic in every mode, the trie in E_MATCH and E_CANMATCH (the modes where they ask).
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const specs: Spec[] = Array.from({ length: 1 + rand(10) }, () => {
        const cid = rand(2) === 0 ? pick(['/', '/55', '/_5X', '/5-5', '/5X', '/5551234', '/_55!']) : '';
        return [randomName() + cid, rand(3) === 0 ? [2] : [1, 2]] as Spec;
      });
      const index = buildContextIndex(contextOf(specs));
      for (let q = 0; q < 30; q++) {
        const dialed = randomDialed();
        const callerId = pick(['55', '59', '', '5551234', '5']);
        const priority = pick([1, 2]);
        for (const [algorithm, mode] of [['classic', 'match'], ['classic', 'canmatch'], ['classic', 'matchmore'], ['trie', 'match'], ['trie', 'canmatch']] as const) {
          const expected = index.find(dialed, callerId, priority, mode, algorithm).chosen?.written ?? null;
          // `^` + pattern: the trie's canmatch walk of the caller's number (matches, or is the start of a match).
          const got = index.chooseForCaller(dialed, priority, mode, algorithm, (cid) => (cid[0] === '^' ? cidCanMatch(cid.slice(1), callerId) : cidMatches(cid, callerId)))?.written ?? null;
          if (got !== expected) throw new Error(`mismatch for ${JSON.stringify({ specs, dialed, callerId, algorithm, mode, priority, expected, got })}`);
          compared++;
        }
      }
    }
    expect(compared).toBe(45000);
  });
});

describe('speed on a 50,000-extension context (figure printed, not asserted)', () => {
  test('index answers E_MATCH lookups without scanning the list', () => {
    const specs: Spec[] = [];
    for (let i = 0; i < 45000; i++) specs.push(String(2020000000 + i * 7));
    for (let i = 0; i < 4990; i++) specs.push(`_${2030000 + i}XXX`);
    specs.push('_NXXNXXXXXX', '_1NXXNXXXXXX', '_+1NXXNXXXXXX', '_X.', '_011X.', '_*XX', '_#X!', '_[2-9]11', '_9NXXXXXX', '_X!');
    const sorted = contextOf(specs);
    const t0 = process.hrtime.bigint();
    const index = buildContextIndex(sorted);
    const t1 = process.hrtime.bigint();
    index.find('1', undefined, 1, 'match', 'trie'); // the trie is built on first use
    const t2 = process.hrtime.bigint();
    const built: Record<string, number> = { classic: Number(t1 - t0) / 1e6, trie: Number(t2 - t1) / 1e6 };
    const queries = ['2020000007', '2030001555', '12025551234', '+12025551234', '2025551234', '911', '0114420', '*72', '5', '2020000008'];
    for (const algorithm of ['classic', 'trie'] as const) {
      const n = 200000;
      const start = process.hrtime.bigint();
      let found = 0;
      for (let i = 0; i < n; i++) if (index.find(queries[i % queries.length], undefined, 1, 'match', algorithm).chosen) found++;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      console.log(`pattern index (${algorithm}): ${Math.round(n / seconds).toLocaleString('en-US')} lookups/s on ${specs.length} extensions (index built in ${built[algorithm].toFixed(0)} ms)`);
      expect(found).toBeGreaterThan(0);
    }
  });
});
