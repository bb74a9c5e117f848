/** `pbxlint test`: the example file passes, the deliberately failing one fails clearly, bad files exit 2. */
import * as path from 'path';
import { cli, tempTree, ROOT } from './helpers/gate-cli';
import { loadAssertionFile } from '../src/assertions/load';
import { runAssertionFile } from '../src/assertions/run';
import { routeCommand } from '../src/route';

const EXAMPLE = 'examples/pbxlint.routes.yaml';
const FAILING = 'examples/pbxlint.routes.failing.yaml';
const PBX = path.join(ROOT, 'fixtures/examples/asterisk-pbx');

describe('pbxlint test', () => {
  test('the example file passes: a line per case and the summary line', async () => {
    const r = await cli(['test', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(7);
    expect(lines[lines.length - 1]).toBe('7 passed, 0 failed');
  });

  test('the deliberately failing case fails with what was expected, what happened and the route taken', async () => {
    const r = await cli(['test', FAILING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ the main number in E.164 from the trunk rings reception  ${FAILING}:9`);
    expect(r.stdout).toContain('    expected verdict routed, got rejected → 404');
    expect(r.stdout).toContain('    expected target "PJSIP/1001", got rejected → 404');
    expect(r.stdout).toContain('    route taken:');
    expect(r.stdout).toMatch(/rejected → 404: no extension in \[from-trunk\] matches \+12025550100/);
    expect(r.stdout).toContain('✓ reception calls the second desk phone');
    expect(r.stdout.split('\n')).toContain('1 passed, 1 failed');
  });

  test('each case gets the same answer as `pbxlint route` with the same request', () => {
    const file = loadAssertionFile(path.join(ROOT, EXAMPLE));
    const results = runAssertionFile(file, { load: {} });
    const c = file.cases[0];
    const direct = routeCommand(c.dial, [PBX], { endpoint: c.from.endpoint, registered: c.registered });
    expect(results[0].answer).toEqual(direct.answer);
  });

  test('--format junit: a testcase per case, the failure carrying the route', async () => {
    const r = await cli(['test', FAILING, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/<testsuites name="pbxlint test" tests="2" failures="1" errors="0">/);
    expect(r.stdout).toContain('<failure message="expected verdict routed, got rejected → 404" type="assertion">');
    expect(r.stdout).toContain('line="9"');
    expect(r.stderr).toBe('1 passed, 1 failed\n');
  });

  test('JSON assertion files work too; paths on the command line override the file', async () => {
    const dir = tempTree({
      'routes.json': JSON.stringify({ cases: [{ from: { endpoint: '1003' }, dial: '1001', expect: { status: 404 } }, { from: { context: 'from-internal' }, dial: '12025551234', expect: { target: { equals: 'PJSIP/+12025551234@trunk-a' } } }] }),
    });
    const r = await cli(['test', path.join(dir, 'routes.json'), PBX]);
    expect(r.stdout).toContain('2 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  test('from.originate: a Local channel into the context (as route --originate)', async () => {
    const dir = tempTree({
      'routes.yaml': "cases:\n  - from: { context: from-internal, originate: true }\n    dial: '12'\n    expect: { verdict: rejected, reason: 'while calling Local channel' }\n  - from: { context: from-internal }\n    dial: '12'\n    expect: { status: 484 }\n",
    });
    const r = await cli(['test', path.join(dir, 'routes.yaml'), PBX]);
    expect(r.stdout).toContain('2 passed, 0 failed');
  });

  test('found upwards from the working directory when not named; registered users from the config file', async () => {
    const dir = tempTree({
      'pbxlint.routes.yaml': `paths: ${PBX}\ncases:\n  - from: { endpoint: trunk-a }\n    dial: '2025550100'\n    expect: { target: { equals: PJSIP/1001 } }\n`,
      '.pbxlintrc.json': JSON.stringify({ registered: ['1001'] }),
      'sub/.keep': '',
    });
    const r = await cli(['test'], path.join(dir, 'sub'));
    expect(r.stdout).toContain('✓ dial 2025550100 from endpoint trunk-a');
    expect(r.code).toBe(0);
  });

  test('registration unknown: a "depends" answer fails a target expectation with a hint', async () => {
    const dir = tempTree({ 'r.yaml': `paths: ${PBX}\ncases:\n  - from: { endpoint: trunk-a }\n    dial: '2025550100'\n    expect: { target: PJSIP/1001 }\n` });
    const r = await cli(['test', path.join(dir, 'r.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('expected target "PJSIP/1001", got depends (');
    expect(r.stdout).toContain('give `registered:` (or time:) to decide');
  });

  test('a call that cannot be simulated (unknown endpoint) is a failed case, not a crash', async () => {
    const dir = tempTree({ 'r.yaml': `paths: ${PBX}\ncases:\n  - from: { endpoint: nobody }\n    dial: '1001'\n    expect: { verdict: routed }\n` });
    const r = await cli(['test', path.join(dir, 'r.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cannot simulate this call');
    expect(r.stdout).toContain('0 passed, 1 failed');
  });

  test('an invalid file exits 2 naming the file, the line and the field', async () => {
    const dir = tempTree({
      'bad.yaml': ['cases:', '  - from: { endpoint: trunk-a }', '    dial: +12025551234', '    expect: { verdict: routd }', '  - dial: "1"', '    expct: { verdict: routed }', ''].join('\n'),
    });
    const r = await cli(['test', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'pbxlint: invalid routing-assertions file:',
      'bad.yaml:3:5: cases[0].dial: must be a string: quote it (YAML reads +12025551234 or 0123 as a number, dropping the + or the leading zero)',
      'bad.yaml:4:15: cases[0].expect.verdict: must be one of "routed", "rejected", "depends"',
      'bad.yaml:5:5: cases[1]: missing required key "expect"',
      'bad.yaml:6:5: cases[1].expct: unknown key "expct"',
      '',
    ]);
  });

  test('YAML syntax errors exit 2 with their position; a missing file exits 2', async () => {
    const dir = tempTree({ 'bad.yaml': 'cases:\n  - dial: "1"\n    expect: { reason: no [x] }\n' });
    const r = await cli(['test', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+: invalid YAML/);
    expect((await cli(['test', 'nope.yaml'], dir)).code).toBe(2);
    expect((await cli(['test'], dir)).stderr).toContain('no routing-assertions file given and none found');
  });
});
