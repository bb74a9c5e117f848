/** Never crash on input: every hostile file yields a located diagnostic and the run goes on. */
import * as fs from 'fs';
import * as path from 'path';
import { lintPaths } from '../src/lint';
import { loadAsterisk } from '../src/parsers/asterisk';
import { asteriskResolver } from '../src/resolvers/asterisk';
import { writeTree } from './helpers/tmp-config';

const noInternalErrors = (dir: string) => {
  const r = lintPaths([dir]);
  expect(r.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  return r;
};

test('a binary extensions.conf is reported with its location, and pjsip.conf is still read', () => {
  const dir = writeTree({ 'extensions.conf': Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0xff, 0xfe, 0x01]), 'pjsip.conf': '[1001]\ntype=endpoint\ncontext=x\n' });
  const r = noInternalErrors(dir);
  const f = r.findings.find((x) => x.ruleId === 'parse-error');
  expect(f).toMatchObject({ file: path.join(dir, 'extensions.conf'), line: 2 });
  expect(f!.message).toMatch(/binary/);
  expect(r.models[0].platform === 'asterisk' && r.models[0].pjsip.endpoints.has('1001')).toBe(true);
});

test('a line longer than 8191 bytes is skipped as Asterisk skips it', () => {
  const dir = writeTree({ 'extensions.conf': `[a]\nexten => 1,1,NoOp(${'x'.repeat(9000)})\nexten => 2,1,Answer()\n` });
  const m = loadAsterisk(dir);
  expect(m.issues.some((i) => /longer than 8191 bytes/.test(i.message) && i.location.line === 2)).toBe(true);
  expect(m.dialplan.contexts.get('a')!.extensions.map((e) => e.name)).toEqual(['2']);
});

test('an #include chain deeper than Asterisk allows is reported, not followed forever', () => {
  const files: Record<string, string> = { 'extensions.conf': '[a]\n#include f0.conf\n' };
  for (let i = 0; i < 20; i++) files[`f${i}.conf`] = `#include f${i + 1}.conf\n`;
  files['f20.conf'] = 'exten => 1,1,Answer()\n';
  const m = loadAsterisk(writeTree(files));
  expect(m.issues.some((i) => /nested deeper than 10/.test(i.message))).toBe(true);
});

test('a directory named like a config file, and an include of a directory, do not crash', () => {
  const dir = writeTree({ 'sub/x': 'y', 'pjsip.conf': '[t]\ntype=transport\n#include sub\n' });
  fs.mkdirSync(path.join(dir, 'extensions.conf'));
  noInternalErrors(dir);
});

test('pathological patterns and huge contexts stay fast and safe', () => {
  const lines = ['[p]'];
  lines.push(`exten => _${'['.repeat(50)}X.,1,NoOp()`);
  lines.push(`exten => _${'X'.repeat(5000)},1,NoOp()`);
  lines.push('exten => _[,1,NoOp(broken set)');
  lines.push('exten => _[],1,NoOp(empty set)');
  for (let i = 0; i < 2000; i++) lines.push(`exten => _${i}X.,1,NoOp()`);
  const dir = writeTree({ 'extensions.conf': lines.join('\n') + '\n' });
  const m = loadAsterisk(dir);
  const a = asteriskResolver.route(m, { user: '9'.repeat(10000), method: 'INVITE', context: 'p' });
  expect(['rejected', 'routed']).toContain(a.verdict);
  noInternalErrors(dir);
});

test('random bytes in every Asterisk file never crash the loader or the rules', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = '[]()=>;-_,.!XNZ$/{}#\n\n\n abc123\\"';
  for (let n = 0; n < 30; n++) {
    const gen = (len: number) => Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    const dir = writeTree({ 'extensions.conf': gen(3000), 'pjsip.conf': gen(1000), 'sip.conf': gen(500) });
    noInternalErrors(dir);
    const m = loadAsterisk(dir);
    for (const ctx of m.dialplan.contexts.keys()) asteriskResolver.route(m, { user: '1234', method: 'INVITE', context: ctx });
  }
});

test('a dialplan that loops forever ends with a diagnosis instead of hanging', () => {
  const m = loadAsterisk(writeTree({ 'extensions.conf': '[loop]\nexten => 1,1,NoOp()\n same => n,Goto(1,1)\n' }));
  const a = asteriskResolver.route(m, { user: '1', method: 'INVITE', context: 'loop' });
  expect(a.reason).toMatch(/loops/);
  expect(a.notModelled.join()).toMatch(/loops/);
});

test('hundreds of caller-ID variants in two contexts: a call without a number gets a bounded answer', () => {
  const variants = (ctx: string, cid: (i: number) => string, last: string) =>
    `[${ctx}]\n${Array.from({ length: 500 }, (_, i) => `exten => s/${cid(i)},1,${ctx === 'a' ? 'Goto(b,s,1)' : `Hangup(${i % 100})`}`).join('\n')}\nexten => s,1,${last}\n`;
  const conf = variants('a', (i) => `_${String(i).padStart(3, '0')}XXXX.`, 'Goto(b,s,1)') + variants('b', (i) => `_${String(i).padStart(3, '0')}NXX[2-8]!`, 'Hangup(16)');
  const a = asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user: 's', method: 'INVITE', context: 'a' });
  expect(a.verdict).toBe('depends');
  // The ordinary caller (none of the variants) and at most 16 ways per lookup.
  expect(a.outcomes[0].conditions.join(' ')).toMatch(/matches none of the 500 caller-ID matches of s in \[a\].*not followed one by one/);
  expect(a.outcomes.length).toBeLessThanOrEqual(256);
});

test('a dialplan forking more ways than the simulation follows says so in the answer', () => {
  // Nine tests of a value known only at run time, each leaving the chain or not: ten ways, all followed.
  const lines = Array.from({ length: 9 }, (_, i) => ` same => n,GotoIf($[\${RAND(0,1)} = 1]?x${i},1)`).join('\n');
  const targets = Array.from({ length: 9 }, (_, i) => `exten => x${i},1,Hangup(${i + 16})`).join('\n');
  const conf = `[a]\nexten => 100,1,NoOp()\n${lines}\n same => n,Hangup(21)\n${targets}\n`;
  const a = asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user: '100', method: 'INVITE', context: 'a' });
  expect(a.verdict).toBe('depends');
  expect(a.notModelled.join()).not.toMatch(/ways through the dialplan/);
  // Nine such tests one after the other, each going on either way: 2^9 ways, more than are followed.
  const wide = `[a]\nexten => 100,1,NoOp()\n${Array.from({ length: 9 }, () => ' same => n,Set(X=${RAND(0,1)})\n same => n,GotoIf($[${X} = 1]?+1:+1)\n same => n,NoOp()').join('\n')}\n same => n,Hangup(21)\n`;
  const b = asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': wide })), { user: '100', method: 'INVITE', context: 'a' });
  expect(b.notModelled.join()).toMatch(/more than 256 ways through the dialplan/);
});
