/**
 * Bounded work (issue 18): configuration that would make pbxlint's work grow without bound ends
 * in a diagnostic at a position, and the run goes on. The bounds are listed in README ("Limits").
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintPaths } from '../src/lint';
import { routeWith } from '../src/engines';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
const tree = (files: Record<string, string>) => {
  const d = writeTree(files);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const lint = (dir: string) => {
  const r = lintPaths([dir]);
  expect(r.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  return r;
};

test('FreeSWITCH: 50,000 nested <condition>s are cut at the XML depth bound with a diagnostic (they overflowed the stack)', () => {
  const depth = 50000;
  const dir = tree({
    'freeswitch.xml': `<?xml version="1.0"?>\n<document type="freeswitch/xml"><section name="dialplan"><context name="public"><extension name="x">\n${'<condition field="destination_number" expression="^1$">'.repeat(depth)}<action application="transfer" data="1 XML public"/>${'</condition>'.repeat(depth)}</extension></context></section></document>\n`,
  });
  const r = lint(dir);
  const cut = r.findings.find((f) => /nested deeper than 256/.test(f.message));
  expect(cut).toMatchObject({ file: path.join(dir, 'freeswitch.xml'), line: 3 }); // the conditions' line
  expect(routeWith(r.models[0], { user: '1', method: 'INVITE', context: 'public' }).verdict).toBe('rejected');
});

test('Asterisk: an #include of a glob repeated thousands of times stops at 5,000 files read, with a diagnostic at the include', () => {
  const files: Record<string, string> = { 'extensions.conf': '[from-internal]\n' + '#include sub/*.conf\n'.repeat(200) };
  for (let i = 0; i < 30; i++) files[`sub/f${i}.conf`] = `exten => ${i},1,NoOp()\n`;
  const dir = tree(files);
  const r = lint(dir);
  const cut = r.findings.filter((f) => /more than 5000 files read/.test(f.message));
  expect(cut).toHaveLength(1);
  // 200 includes × 30 files: the include that would read the 5,001st file (the 167th).
  expect(cut[0]).toMatchObject({ file: path.join(dir, 'extensions.conf'), line: 2 + 166 });
});

test('FreeSWITCH: a chain of transfers is judged one hop at a time: only the transfer whose target collects nothing is reported', () => {
  let x = '<?xml version="1.0"?>\n<document type="freeswitch/xml"><section name="dialplan"><context name="public">\n';
  for (let i = 0; i < 100; i++) x += `<extension name="e${i}"><condition field="destination_number" expression="^${i}$"><action application="transfer" data="${i + 1} XML public"/></condition></extension>\n`;
  x += '</context></section></document>\n';
  const r = lint(tree({ 'freeswitch.xml': x }));
  const missing = r.findings.filter((f) => f.ruleId === 'freeswitch-transfer-target-missing');
  expect(missing.map((f) => f.message)).toEqual(['transfer to 100 in context "public": no extension there collects an action for 100']);
});

test('Asterisk: Local channels nested past the bound are "not followed", not "does not route"', () => {
  const r = lint(tree({ 'extensions.conf': '[from-internal]\nexten => 100,1,Dial(Local/100@from-internal)\n' }));
  const answer = routeWith(r.models[0], { user: '100', method: 'INVITE', context: 'from-internal' });
  expect(answer.notModelled.join('\n')).toMatch(/Local channels nested deeper than 3: Local\/100@from-internal is not followed/);
  expect(JSON.stringify(answer)).not.toMatch(/does not route/);
});
