/**
 * A priority written as a label (`exten => 100,foo+1,…`, `same => foo,…`) while extensions.conf
 * loads. pbx/pbx_config.c pbx_load_config strips `(label)` and `+offset`, and for a priority that
 * is not `hint`, `n`/`next`, `s`/`same` or a number calls
 * `ast_findlabel_extension2(NULL, con, realext, pri, cidmatch)`: main/pbx.c pbx_extension_helper →
 * pbx_find_extension with E_FINDLABEL, bypass = the context being built. At the first load the
 * classic list walk runs (pbx_set_extenpatternmatchnew comes after pbx_load_config), so:
 * - every extension registered so far in the context is tried in ext_cmp order, matching the
 *   name as written as a DIALLED string (extension_match_core, E_MATCH): a pattern, or a
 *   literal that differs only by `-`, can supply the label; blanks are not skipped;
 * - an extension with a caller-ID match must match the line's CID as a caller number
 *   (matchcid); one without accepts any line;
 * - the first such extension whose label table (peer_label_table) has the label gives its
 *   priority; the walk goes past extensions that lack it;
 * - includes lead back to the same context (bypass), so nothing outside it counts;
 * - a label on a line add_priority refused (priority already in use) is not in the table.
 * Each case is checked on both parser paths (streamed and whole-document).
 */
import { readConf } from '../src/parsers/asterisk/conf';
import { buildDialplan, DialplanStream } from '../src/parsers/asterisk/dialplan';
import type { LoadIssue } from '../src/core/findings';
import type { Dialplan } from '../src/model/asterisk';
import { cidMatches, cidMatchNameOf, compareExtensions, matchCode, matchNameOf } from '../src/automata/asterisk/pattern';
import { writeTree } from './helpers/tmp-config';

function plain(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof Map ? [...v.entries()] : v)));
}

/** Loads `conf` both ways, checks they agree, and returns the dialplan and the label warnings. */
function load(conf: string): { dp: Dialplan; warnings: string[] } {
  const dir = writeTree({ 'extensions.conf': conf });
  const issues: LoadIssue[] = [];
  const dp = buildDialplan(readConf(dir, 'extensions.conf'), issues);
  const stream = new DialplanStream();
  const doc = readConf(dir, 'extensions.conf', { sink: stream });
  expect(doc.streamAbandoned).toBeFalsy();
  const streamIssues: LoadIssue[] = [];
  const streamed = stream.finish(doc, streamIssues);
  expect(plain(streamed)).toEqual(plain(dp));
  expect(plain(streamIssues)).toEqual(plain(issues));
  return { dp, warnings: issues.filter((i) => /priority\/label/.test(i.message)).map((i) => `${i.location.line}: ${i.message}`) };
}

/** `name:number:app` for every line of a context's entries, in file order (refused duplicates included). */
function lines(dp: Dialplan, context = 'a'): string[] {
  return dp.contexts.get(context)!.extensions.flatMap((e) => e.priorities.map((p) => `${e.name}${e.cid !== undefined ? `/${e.cid}` : ''}:${p.number}:${p.app}`));
}

describe('which extensions the load-time lookup considers (pbx_find_extension, classic walk)', () => {
  test('a pattern that matches the name as dialled supplies the label', () => {
    const { dp, warnings } = load('[a]\nexten => _1XX,1(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(warnings).toEqual([]);
    expect(lines(dp)).toEqual(['_1XX:1:NoOp', '100:2:Verbose']);
  });

  test('the walk goes past a matching extension that lacks the label', () => {
    const { dp, warnings } = load('[a]\nexten => 100,1,NoOp\nexten => _1XX,1(foo),NoOp\nexten => 100,foo+2,Verbose\n');
    expect(warnings).toEqual([]);
    expect(lines(dp)).toEqual(['100:1:NoOp', '_1XX:1:NoOp', '100:3:Verbose']);
  });

  test('ext_cmp order, not file order: the literal before patterns, then the more specific pattern', () => {
    const literal = load('[a]\nexten => _1XX,5(foo),NoOp\nexten => 100,2(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(literal.warnings).toEqual([]);
    expect(lines(literal.dp)).toContain('100:3:Verbose');
    // _1XX sorts before _1. (X scores below '.'), though _1. was registered first.
    const specific = load('[a]\nexten => _1.,7(foo),NoOp\nexten => _1XX,3(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(specific.warnings).toEqual([]);
    expect(lines(specific.dp)).toContain('100:4:Verbose');
  });

  test('an extension that does not match the name gives nothing: the line is dropped with a warning', () => {
    const { dp, warnings } = load('[a]\nexten => _2XX,1(foo),NoOp\nexten => 100,foo+1,Verbose\n same => n,Hangup\n');
    expect(warnings).toEqual([expect.stringMatching(/^3: invalid priority\/label "foo"/)]);
    // Dropped: lastpri is left as it was, so `n` continues from the NoOp line (1 → 2).
    expect(lines(dp)).toEqual(['_2XX:1:NoOp', '100:2:Hangup']);
  });

  test('a pattern name is compared as a pattern: an equal pattern matches, an overlapping one does not', () => {
    const equal = load('[a]\nexten => _1XX,1(foo),NoOp\nexten => _1[0-9]x,foo+1,Verbose\n');
    expect(equal.warnings).toEqual([]);
    expect(lines(equal.dp)).toContain('_1[0-9]x:2:Verbose');
    const overlapping = load('[a]\nexten => _1XX,1(foo),NoOp\nexten => _1NX,foo+1,Verbose\n');
    expect(overlapping.warnings).toEqual([expect.stringMatching(/^3: invalid priority\/label "foo"/)]);
  });

  test('"-" is skipped when matching (1-00 is 100); a blank is not (the lookup reads "100 " as written)', () => {
    const dashed = load('[a]\nexten => 1-00,1(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(dashed.warnings).toEqual([]);
    expect(lines(dashed.dp)).toContain('100:2:Verbose');
    // ext_strncpy stores "100 " as 100, but pbx_config passes realext itself to the lookup:
    // _extension_match_core finds "100 " longer than the literal 100.
    const blank = load('[a]\nexten => 100 ,1(foo),NoOp\n same => foo+1,Verbose\nexten => 100,foo+2,Hangup\n');
    expect(blank.warnings).toEqual([expect.stringMatching(/^3: invalid priority\/label "foo"/)]);
    expect(lines(blank.dp)).toEqual(['100:1:NoOp', '100:3:Hangup']);
  });

  test('only lines above count; an earlier section of the same context counts', () => {
    const below = load('[a]\nexten => 100,foo+1,Verbose\nexten => 100,1(foo),NoOp\n');
    expect(below.warnings).toEqual([expect.stringMatching(/^2: invalid priority\/label "foo"/)]);
    const sections = load('[a]\nexten => _1XX,1(foo),NoOp\n[b]\nexten => 1,1,NoOp\n[a]\nexten => 100,foo+1,Verbose\n');
    expect(sections.warnings).toEqual([]);
    expect(lines(sections.dp)).toContain('100:2:Verbose');
  });

  test('includes are not searched: with bypass set, pbx_find_extension only ever looks in the context itself', () => {
    const { warnings } = load('[b]\nexten => 100,1(foo),NoOp\n[a]\ninclude => b\nexten => 100,1,NoOp\nexten => 100,foo+1,Verbose\n');
    expect(warnings).toEqual([expect.stringMatching(/^6: invalid priority\/label "foo"/)]);
  });

  test('labels are case-sensitive (hashtab_compare_exten_labels: strcmp)', () => {
    const { warnings } = load('[a]\nexten => 100,1(Foo),NoOp\n same => foo+1,Verbose\n');
    expect(warnings).toEqual([expect.stringMatching(/^3: invalid priority\/label "foo"/)]);
  });
});

describe('caller ID (matchcid)', () => {
  test('the line\'s CID is matched as a caller number against a CID pattern', () => {
    const { dp, warnings } = load('[a]\nexten => 100/_555X,1(foo),NoOp\nexten => 100/5551,foo+1,Verbose\n');
    expect(warnings).toEqual([]);
    expect(lines(dp)).toContain('100/5551:2:Verbose');
  });

  test('an extension without a CID match serves any line; a line without CID only those and an empty CID match', () => {
    const any = load('[a]\nexten => 100,1(foo),NoOp\nexten => 100/5551,foo+1,Verbose\n');
    expect(any.warnings).toEqual([]);
    expect(lines(any.dp)).toContain('100/5551:2:Verbose');
    const none = load('[a]\nexten => 100/5551,1(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(none.warnings).toEqual([expect.stringMatching(/^3: invalid priority\/label "foo"/)]);
    // `100/`: an empty CID match, which matchcid accepts for a lookup with no caller ID.
    const empty = load('[a]\nexten => 100/,1(foo),NoOp\nexten => 100,foo+1,Verbose\n');
    expect(empty.warnings).toEqual([]);
    expect(lines(empty.dp)).toContain('100:2:Verbose');
  });
});

describe('what the label stands for (peer_label_table as add_priority fills it)', () => {
  test('the registered number of the labelled line, its own +offset included; the line\'s +offset is added', () => {
    const { dp, warnings } = load('[a]\nexten => 100,1,NoOp\n same => n+2(foo),Answer\n same => foo+1,Verbose\n same => foo,Hangup\n');
    expect(warnings).toEqual([]);
    expect(lines(dp)).toEqual(['100:1:NoOp', '100:4:Answer', '100:5:Verbose', '100:4:Hangup']);
  });

  test('"-" is not an offset: start-1 is the label "start-1"', () => {
    const { dp, warnings } = load('[a]\nexten => 100,1(start),NoOp\n same => 2(a-1),Answer\n same => a-1+1,Verbose\n same => start-1,Hangup\n');
    expect(warnings).toEqual([expect.stringMatching(/^5: invalid priority\/label "start-1"/)]);
    expect(lines(dp)).toEqual(['100:1:NoOp', '100:2:Answer', '100:3:Verbose']);
  });

  test('the first registration of a label wins, also across entries Asterisk merges (1-00 is 100)', () => {
    const { dp, warnings } = load('[a]\nexten => 100,1(foo),NoOp\nexten => 200,1,NoOp\nexten => 1-00,5(foo),Answer\nexten => 100,foo+1,Verbose\n');
    expect(warnings).toEqual([]);
    expect(lines(dp)).toContain('100:2:Verbose');
  });

  test('a label on a line refused as a repeated priority is not registered', () => {
    const refused = load('[a]\nexten => 100,1,NoOp\n same => 1(foo),Answer\n same => foo+1,Verbose\n');
    expect(refused.warnings).toEqual([expect.stringMatching(/^4: invalid priority\/label "foo"/)]);
    // A later line with the same label that is registered is the one found.
    const later = load('[a]\nexten => 100,1,NoOp\n same => 1(foo),Answer\n same => 2(foo),Playback(x)\n same => foo+1,Verbose\n');
    expect(later.warnings).toEqual([]);
    expect(lines(later.dp)).toContain('100:3:Verbose');
    // Refused because a merged entry registered priority 1 first.
    const merged = load('[a]\nexten => 1-00,1,NoOp\nexten => 100,1(foo),Answer\n same => foo+1,Verbose\n');
    expect(merged.warnings).toEqual([expect.stringMatching(/^4: invalid priority\/label "foo"/)]);
  });
});

describe('against a reference walk written straight from pbx_config and pbx_find_extension', () => {
  // ast_shrink_phone_number (main/callerid.c): the CID text pbx_config passes to the lookup.
  const shrink = (n: string) => {
    let out = '';
    let bracketed = 0;
    for (let i = 0; i < n.length; i++) {
      const c = n[i];
      if (c === '[') bracketed++;
      else if (c === ']') bracketed--;
      else if (c === '-' && !bracketed) continue;
      else if (c === '.' && i < n.length - 1) continue;
      else if (c === '(' || c === ')' || c === ' ') continue;
      out += c;
    }
    return out;
  };

  interface RefExtension { matchName: string; cid?: string; numbers: Set<number>; labels: Map<string, number> }

  /** The lines pbx_config keeps (`id:priority`), refused duplicates included, as the model lists them. */
  function reference(lines: { realext: string; pri: string; id: number }[]): string[] {
    const registered: RefExtension[] = [];
    const kept: string[] = [];
    for (const { realext, pri: field, id } of lines) {
      const slash = realext.indexOf('/');
      const dialled = slash >= 0 ? realext.slice(0, slash) : realext;
      const callerId = slash >= 0 ? shrink(realext.slice(slash + 1)) : undefined;
      let pri = field;
      let label: string | undefined;
      if (pri.includes('(')) {
        label = pri.slice(pri.indexOf('(') + 1, pri.indexOf(')'));
        pri = pri.slice(0, pri.indexOf('('));
      }
      let plus = 0;
      if (pri.includes('+')) {
        plus = parseInt(pri.slice(pri.indexOf('+') + 1), 10);
        pri = pri.slice(0, pri.indexOf('+'));
      }
      let ipri: number | undefined;
      if (/^\d/.test(pri)) ipri = parseInt(pri, 10);
      else {
        // The classic walk: every extension in ext_cmp order, name as dialled, CID by matchcid.
        for (const e of [...registered].sort(compareExtensions)) {
          if (!matchCode(e.matchName, dialled, 'match') || !cidMatches(e.cid, callerId)) continue;
          ipri = e.labels.get(pri);
          if (ipri !== undefined) break;
        }
        if (ipri === undefined) continue;
      }
      ipri += plus;
      kept.push(`${id}:${ipri}`);
      const stored = { matchName: matchNameOf(dialled.replace(/ /g, '')), cid: slash >= 0 ? cidMatchNameOf(realext.slice(slash + 1)) : undefined };
      let ext = registered.find((e) => compareExtensions(e, stored) === 0);
      if (!ext) registered.push((ext = { ...stored, numbers: new Set(), labels: new Map() }));
      if (ext.numbers.has(ipri)) continue; // add_priority: "already in use", label and all
      ext.numbers.add(ipri);
      if (label && !ext.labels.has(label)) ext.labels.set(label, ipri);
    }
    return kept;
  }

  test('300 random contexts: the same lines kept, at the same priorities', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
    const names = ['100', '1-00', '100 ', '101', '_1XX', '_1[0-9]x', '_1NX', '_1.', '_X.', '_[_1]XX', '__1.', '_1XX ', '_1!', '_1[0-9]X'];
    const cids = ['', '', '', '/', '/5551', '/_555X', '/_555[0-9]', '/555-1', '/(555) 1'];
    const labels = ['foo', 'bar'];
    let lookedUp = 0;
    for (let round = 0; round < 300; round++) {
      const lines: { realext: string; pri: string; id: number }[] = [];
      let text = '[a]\n';
      for (let id = 0; id < 14; id++) {
        // A later [a] section: its lines see the earlier ones' extensions (but `same =>` starts afresh).
        const section = id > 0 && rand(10) === 0;
        if (section) text += '[b]\nexten => 1,1,NoOp\n[a]\n';
        const same = id > 0 && !section && rand(4) === 0;
        const realext = same ? lines[lines.length - 1].realext : pick(names) + pick(cids);
        const pri = rand(2)
          ? `${1 + rand(4)}${rand(2) ? `(${pick(labels)})` : ''}`
          : `${pick(labels)}${pick(['', '+1', '+2'])}`;
        lines.push({ realext, pri, id });
        text += same ? ` same => ${pri},NoOp(${id})\n` : `exten => ${realext},${pri},NoOp(${id})\n`;
      }
      const { dp } = load(text);
      const got = dp.contexts.get('a')!.extensions.flatMap((e) => e.priorities.map((p) => `${p.args}:${p.number}`));
      const expected = reference(lines);
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${text}\nexpected ${expected.join(' ')}\ngot      ${got.join(' ')}`);
      lookedUp += lines.filter((l) => !/^\d/.test(l.pri) && expected.some((k) => k.startsWith(`${l.id}:`))).length;
    }
    // Enough labels were found for the comparison to mean something.
    expect(lookedUp).toBeGreaterThan(200);
  });
});
