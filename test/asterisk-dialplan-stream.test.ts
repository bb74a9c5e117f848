/**
 * extensions.conf is built while it is read (DialplanStream) unless something in it makes file
 * order differ from pbx_config's order; either way the dialplan must equal the one built from the
 * whole document (buildDialplan), line for line: checked on every fixture and corpus file, and on
 * each construct that must make the stream give up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readConf } from '../src/parsers/asterisk/conf';
import { buildDialplan, DialplanStream } from '../src/parsers/asterisk/dialplan';
import type { LoadIssue } from '../src/core/findings';
import { corpusOrSkip } from './helpers/rule-tester';
import { writeTree } from './helpers/tmp-config';

/** A comparable form: Maps as entry lists, priorities as plain objects (their toJSON). */
function plain(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof Map ? [...v.entries()] : v)));
}

function both(dir: string, name = 'extensions.conf') {
  const classicIssues: LoadIssue[] = [];
  const classic = buildDialplan(readConf(dir, name), classicIssues);
  const stream = new DialplanStream();
  const doc = readConf(dir, name, { sink: stream });
  const streamIssues: LoadIssue[] = [];
  const streamed = doc.streamAbandoned ? undefined : stream.finish(doc, streamIssues);
  return { classic, classicIssues, streamed, streamIssues, abandoned: Boolean(doc.streamAbandoned) };
}

/** Every fixture directory with an extensions.conf. */
function fixtureDialplanDirs(): string[] {
  const roots: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'extensions.conf') roots.push(d);
    }
  };
  walk(path.join(__dirname, '..', 'fixtures'));
  return roots;
}

function expectSame(dir: string, name?: string): boolean {
  const r = both(dir, name);
  if (r.streamed) {
    expect(plain(r.streamed)).toEqual(plain(r.classic));
    expect(plain(r.streamIssues)).toEqual(plain(r.classicIssues));
  }
  return r.abandoned;
}

describe('streaming gives the whole-document dialplan', () => {
  test('a plain dialplan streams, with globals, repeated contexts, includes and labels', () => {
    const dir = writeTree({
      'extensions.conf': '[general]\nautofallthrough=no\n[globals]\nT=trunk\n[a]\nexten => 1,1,NoOp\n same => n(lbl),Dial(PJSIP/${T})\nexten => _X.,1,Goto(1,lbl)\ninclude => b\n#include more.conf\n[a]\nexten => 1,2,Hangup\nexten => 1,2,Busy\n',
      'more.conf': '[b]\nexten => 2,1,Answer\nexten => 2,n,Playback(x)\n',
    });
    expect(expectSame(dir)).toBe(false);
  });

  test.each([
    ['a template', '[tpl](!)\nexten => 9,1,NoOp\n[a](tpl)\nexten => 1,1,NoOp\n'],
    ['(+) appends to an earlier section', '[a]\nexten => 1,1,NoOp\n[b]\nexten => 2,1,NoOp\n[a](+)\nexten => 1,2,Hangup\n'],
    ['+= on a line', '[a]\nexten => 1,1,Set(X=1\nexten += )\n'],
    ['[globals] after a substitution', '[a]\nexten => ${N},1,NoOp\n[globals]\nN=100\n'],
  ])('%s makes the stream give up, and the file is read whole', (_what, text) => {
    const dir = writeTree({ 'extensions.conf': text });
    expect(expectSame(dir)).toBe(true);
  });

  test('lines after an #include that opened a section belong to the includer: the stream gives up', () => {
    const dir = writeTree({
      'extensions.conf': '[a]\nexten => 1,1,NoOp\n#include inc.conf\nexten => 1,1,Busy\n',
      'inc.conf': '[a]\nexten => 1,1,Hangup\n',
    });
    expect(expectSame(dir)).toBe(true);
    // pbx_config processes the first [a] section whole (NoOp, then the refused Busy) before the included one.
    const classic = buildDialplan(readConf(dir, 'extensions.conf'), []);
    expect(classic.contexts.get('a')!.extensions.flatMap((e) => e.priorities.map((p) => p.app))).toEqual(['NoOp', 'Busy', 'Hangup']);
  });

  test('the bundled example and every Asterisk fixture', () => {
    const roots = fixtureDialplanDirs();
    expect(roots.length).toBeGreaterThan(10);
    for (const r of roots) expectSame(r);
  });
});

describe.each(['asterisk', 'asterisk-branch20', 'asterisk-testsuite', 'asterisk-testsuite-branch16'])('corpus %s', (source) => {
  const dir = corpusOrSkip(source);
  (dir ? test : test.skip)('every extensions.conf streams to the same dialplan (or gives up)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/^extensions\.conf(\.sample)?$/.test(e.name)) files.push(p);
      }
    };
    walk(dir!);
    let streamed = 0;
    for (const f of files) if (!expectSame(path.dirname(f), path.basename(f))) streamed++;
    // Some corpora hold only channel/sorcery configs; where there are dialplans, most stream.
    if (files.length > 0) expect(streamed).toBeGreaterThan(0);
  });
});

describe('arguments sliced from the file text when a line is built', () => {
  test('are the arguments as written, also after comments, tabs, CRLF, a BOM and non-breaking spaces', () => {
    const dir = writeTree({
      'extensions.conf': '\ufeff[a]\r\nexten => 1,1,Set(X=1) ; note\r\n\texten =>\u00a02,1,  Dial(PJSIP/a&PJSIP/b,30)\r\nexten => 3,1,NoOp(x;--y--;z)\nexten => 4,1,Verbose(a\\;b)\n same => n,Playback(hello)\n',
    });
    const dp = buildDialplan(readConf(dir, 'extensions.conf'), []);
    const args = dp.contexts.get('a')!.extensions.flatMap((e) => e.priorities.map((p) => `${p.app}(${p.args})`));
    expect(args).toEqual(['Set(X=1)', 'Dial(PJSIP/a&PJSIP/b,30)', 'NoOp(xz)', 'Verbose(a;b)', 'Playback(hello)']);
  });

  test('every priority of every fixture shows its application and arguments on its own line', () => {
    const roots = fixtureDialplanDirs();
    let checked = 0;
    for (const r of roots) {
      const dp = buildDialplan(readConf(r, 'extensions.conf'), []);
      for (const ctx of dp.contexts.values()) {
        for (const e of ctx.extensions) {
          for (const p of e.priorities) {
            const line = fs.readFileSync(p.file, 'utf8').split('\n')[p.line - 1];
            if (line.includes(';') || !line.includes('(')) continue;
            expect(line).toContain(`(${p.args})`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('trieBuiltAfter: the first label priority builds the trie while loading (pbx_config → ast_findlabel_extension2)', () => {
  const built = (conf: string) => {
    const r = both(writeTree({ 'extensions.conf': conf }));
    expect(r.abandoned).toBe(false);
    const of = (dp: typeof r.classic) => Object.fromEntries([...dp.contexts.values()].map((c) => [c.name, 'trieBuiltAfter' in c ? c.trieBuiltAfter : 'absent']));
    expect(of(r.streamed!)).toEqual(of(r.classic));
    return of(r.classic);
  };

  test('absent without a label priority: numbers (also 5+1), n, s, hint and n(label) are not lookups', () => {
    const got = built('[a]\nexten => 1,1(start),NoOp\n same => n(next),NoOp\n same => s,NoOp\n same => 5,NoOp\n same => 5+1,NoOp\nexten => 1,hint,PJSIP/1\n');
    expect(got).toEqual({ a: 'absent' });
  });

  test('the count of entries so far; a same => line counts its own entry, a new name does not', () => {
    const got = built(
      '[same]\nexten => 1,1(a),NoOp\nexten => 2,1(b),NoOp\n same => b+1,NoOp\n' +
      '[newname]\nexten => 1,1(a),NoOp\nexten => 2,1,NoOp\nexten => 1,a+1,NoOp\n',
    );
    expect(got).toEqual({ same: 2, newname: 2 });
  });

  test('only the first lookup in a context with an extension counts, found or not, across repeated sections', () => {
    const got = built(
      '[r]\nexten => 1,nosuch,NoOp\nexten => 1,1(a),NoOp\n' +
      '[r]\nexten => 2,1,NoOp\n same => ,NoOp\nexten => 1,a+1,NoOp\n',
    );
    // Line 1: no extension yet (no root_table, no tree). `same => ,…`: an empty priority is
    // not a number either, so it is looked up (and refused): 2 entries then.
    expect(got).toEqual({ r: 2 });
  });
});
