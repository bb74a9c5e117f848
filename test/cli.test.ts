/** The command line as users and CI call it: exit codes, formats, the JSON contract. */
import * as path from 'path';
import { main } from '../src/cli';
import { fixture } from './helpers/rule-tester';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd: path.resolve(__dirname, '..'), env: {} });
  return { code, stdout, stderr };
}

const example = fixture('examples', 'asterisk-pbx');

describe('pbxlint lint', () => {
  test('exit 1 with error findings; stylish output names file:line, rule, wire and fix', async () => {
    const r = await run(['lint', example]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pjsip.conf\n\s+42:9\s+error\s+endpoint 1003 sends its calls to context "from-internl"/);
    expect(r.stdout).toMatch(/wire: INVITE from endpoint 1003 for any number → 404 Not Found/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
  test('lint is the default command', async () => {
    expect((await run([example])).code).toBe(1);
  });
  test('exit 0 on a clean configuration', async () => {
    const r = await run(['lint', fixture('rules', 'include-cycle', 'clean')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no problems/);
  });
  test('--format json prints [{ruleId, severity, file, line, column, message}]', async () => {
    const r = await run(['lint', '--format', 'json', example]);
    const findings = JSON.parse(r.stdout);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'file', 'line', 'column', 'message']));
    expect(findings[0].file).toBe('fixtures/examples/asterisk-pbx/extensions.conf');
  });
  test('exit 2 on usage errors and on paths with no configuration', async () => {
    expect((await run(['lint', '--format', 'nope', example])).code).toBe(2);
    const r = await run(['lint', '/nonexistent-dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});

describe('pbxlint route', () => {
  test('routed: exit 0, JSON has verdict, status null, target, steps with file/line/context/extension/priority', async () => {
    const r = await run(['route', '1002', example, '--endpoint', '1001', '--registered', '1002', '--format', 'json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ verdict: 'routed', status: null, target: { name: 'PJSIP/1002' } });
    expect(a.steps[0]).toMatchObject({ file: 'fixtures/examples/asterisk-pbx/extensions.conf', line: 11, context: 'from-internal', extension: '_1XXX', priority: 1 });
  });
  test('rejected: exit 1 with the predicted status (E.164 into a 10-digit context → 404)', async () => {
    const r = await run(['route', '+12025550100', example, '--endpoint', 'trunk-a', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'rejected', status: 404 });
  });
  test('depends: exit 3 and every outcome listed', async () => {
    const r = await run(['route', '2025550100', example, '--endpoint', 'trunk-a']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/outcome 1: routed → PJSIP\/1001/);
    expect(r.stdout).toMatch(/outcome 2: routed → VoiceMail\(1001@default,u\)/);
  });
  test('like `dialplan show N@C`: --context enters the dialplan directly', async () => {
    const r = await run(['route', '*97', example, '--context', 'from-internal']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/extensions.conf:24 \[features\] \*97,1 {2}VoiceMailMain/);
  });
  test('--originate: a Local channel into the context (`channel originate Local/N@C`): no 484, the origination fails', async () => {
    const r = await run(['route', '12', example, '--context', 'from-internal', '--originate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^channel originate Local\/12@from-internal/);
    expect(r.stdout).toMatch(/rejected: no extension in \[from-internal\] matches 12 at priority 1: the Local channel refuses the call/);
    expect((await run(['route', '12', example, '--originate'])).code).toBe(2);
  });
  test('exit 2: unknown endpoint, missing entry, bad URI scheme', async () => {
    expect((await run(['route', '100', example, '--endpoint', 'nosuch'])).code).toBe(2);
    expect((await run(['route', '100', example])).code).toBe(2);
    expect((await run(['route', 'http://x', example, '--context', 'a'])).code).toBe(2);
  });
  test('exit 2: options that contradict each other (--registered with --unregistered, --originate with --endpoint)', async () => {
    const both = await run(['route', '2025550100', example, '--endpoint', 'trunk-a', '--registered', '1001', '--unregistered']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/unregistered and registered are mutually exclusive/)]);
    const originate = await run(['route', '12', example, '--context', 'from-internal', '--endpoint', 'trunk-a', '--originate']);
    expect([originate.code, originate.stderr]).toEqual([2, expect.stringMatching(/does not go with --endpoint/)]);
  });
  test('a sip: URI gives user and domain', async () => {
    const r = await run(['route', 'sip:1002@pbx.example.com', example, '--endpoint', '1001', '--registered', '1002', '--format', 'json']);
    expect(JSON.parse(r.stdout).request).toMatch(/INVITE sip:1002@pbx.example.com/);
  });
});

test('pbxlint rules lists every rule with its severity', async () => {
  const r = await run(['rules']);
  expect(r.stdout).toMatch(/endpoint-context-missing\s+error\s+asterisk/);
});
