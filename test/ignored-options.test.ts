/**
 * Options meant for another engine are not dropped without a word: `route` and `explain` print a
 * note on stderr, `test` notes a case field the engine does not read (and does not fail for it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli';
import { ignoredOptionNotes } from '../src/route';

const ROOT = path.resolve(__dirname, '..');
const KAMAILIO = 'fixtures/explain/kamailio/kamailio.cfg';
const KDEFS = ['--define', 'LPORT=5060', '--define', 'GWPORT=5070'];

async function run(args: string[], cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd, env: {} });
  return { code, stdout, stderr };
}

describe('which engine reads which option', () => {
  test('each option is noted on the engines that do not read it, and only there', () => {
    const all = { context: 'c', endpoint: 'e', originate: true, profile: 'p', to: 'sip:1@x', 'caller-id': '1', 'user-agent': 'ua', define: ['A'], myself: ['1.2.3.4'], var: { a: 'b' } };
    const named = (p: 'asterisk' | 'kamailio' | 'freeswitch') => ignoredOptionNotes(p, all).map((n) => n.split(' ')[0]);
    expect(named('kamailio')).toEqual(['--context', '--endpoint', '--originate', '--profile', '--caller-id', '--var']);
    expect(named('freeswitch')).toEqual(['--endpoint', '--originate', '--user-agent', '--define', '--myself']);
    expect(named('asterisk')).toEqual(['--profile', '--user-agent', '--define', '--myself', '--var']);
    // Not given, false, or empty: nothing to say.
    expect(ignoredOptionNotes('kamailio', { context: undefined, originate: false, var: {}, define: [] })).toEqual([]);
  });
});

describe('route and explain: a note on stderr, the answer unchanged', () => {
  test('route --originate --context on Kamailio', async () => {
    const plain = await run(['route', '1000', KAMAILIO, ...KDEFS]);
    const r = await run(['route', '1000', KAMAILIO, ...KDEFS, '--originate', '--context', 'from-x']);
    expect(r.stderr).toBe('pbxlint: --context has no meaning for Kamailio; ignored\npbxlint: --originate has no meaning for Kamailio; ignored\n');
    expect([r.code, r.stdout]).toEqual([plain.code, plain.stdout]);
  });

  test('route --endpoint on FreeSWITCH, --profile on Asterisk (--to names a REGISTER\'s AOR there)', async () => {
    expect((await run(['route', '1000', 'fixtures/freeswitch/basic', '--profile', 'internal', '--endpoint', 'x'])).stderr).toBe('pbxlint: --endpoint has no meaning for FreeSWITCH; ignored\n');
    expect((await run(['route', '1001', 'fixtures/examples/asterisk-pbx', '--endpoint', '1001', '--profile', 'internal', '--to', 'sip:1@x'])).stderr).toBe(
      'pbxlint: --profile has no meaning for Asterisk; ignored\n',
    );
    expect((await run(['route', '1001', 'fixtures/examples/asterisk-pbx', '--endpoint', '1001'])).stderr).toBe('');
  });

  test('explain --var on Asterisk', async () => {
    const r = await run(['explain', 'fixtures/explain/captures/asterisk-chan-sip.raw.txt', 'fixtures/explain/asterisk-chan-sip', '--var', 'x=y']);
    expect(r.stderr).toBe('pbxlint: --var has no meaning for Asterisk; ignored\n');
    expect(r.code).toBe(0);
  });
});

describe('test: a case field the engine does not read is a note, not a failure', () => {
  test('from.originate and from.profile on Kamailio', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-ignored-'));
    try {
      const cfg = path.join(ROOT, KAMAILIO);
      const file = path.join(dir, 'pbxlint.routes.yaml');
      fs.writeFileSync(
        file,
        [`paths: ${JSON.stringify(cfg)}`, 'defines: [LPORT=5060, GWPORT=5070]', 'cases:', '  - name: a service code', '    from: { originate: true, profile: internal }', "    dial: 'sip:123@pbx.example.test'", '    expect: { status: 404 }', ''].join('\n'),
      );
      const r = await run(['test', file], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('✓ a service code');
      expect(r.stdout).toContain('    note: from.originate has no meaning for Kamailio; ignored\n    note: from.profile has no meaning for Kamailio; ignored\n');
      const junit = await run(['test', file, '--format', 'junit'], dir);
      expect(junit.stdout).toContain('<system-out>note: from.originate has no meaning for Kamailio; ignored');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
