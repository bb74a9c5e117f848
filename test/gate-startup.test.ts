/**
 * A pre-commit linter must start fast: without a configuration file, `pbxlint lint` must not load
 * ajv or yaml (they load only to read a config file, an assertions file, or to print SARIF help),
 * nor the code of the engines it did not find, of the other commands, or of other output formats.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ensureBuilt, ROOT, tempTree } from './helpers/gate-cli';
import { PLATFORMS } from '../src/core/findings';
import { RULES } from '../rules';
import { rulesFor } from '../rules/registry';

const PROBE = `
const cli = require(${JSON.stringify(path.join(ROOT, 'dist/src/cli.js'))});
cli.main(process.argv.slice(1), { stdout: () => {}, stderr: () => {}, isTTY: false, cwd: process.cwd(), env: {} }).then((code) => {
  const heavy = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](ajv|yaml)[\\\\/]/.test(k)).map((k) => k.includes('yaml') ? 'yaml' : 'ajv');
  const dist = Object.keys(require.cache).filter((k) => k.startsWith(${JSON.stringify(path.join(ROOT, 'dist') + path.sep)})).map((k) => k.slice(${JSON.stringify(path.join(ROOT, 'dist') + path.sep)}.length).replace(/\\\\/g, '/'));
  process.stdout.write(JSON.stringify({ code, heavy: [...new Set(heavy)].sort(), dist }));
});`;

function probe(cwd: string, args: string[]): { code: number; heavy: string[]; dist: string[] } {
  const r = spawnSync(process.execPath, ['-e', PROBE, ...args], { cwd, encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

describe('start-up cost', () => {
  beforeAll(() => ensureBuilt());
  const pbx = path.join(ROOT, 'fixtures/examples/asterisk-pbx');

  test('lint without a config file loads neither ajv nor yaml', () => {
    expect(probe(tempTree({ 'x/.keep': '' }), ['lint', pbx])).toMatchObject({ code: 1, heavy: [] });
  });

  test('a JSON config file loads ajv (validation) but not yaml unless there is an error to locate', () => {
    const dir = tempTree({ '.pbxlintrc.json': '{"rules":{"goto-target-missing":"off"}}' });
    expect(probe(dir, ['lint', pbx])).toMatchObject({ code: 1, heavy: ['ajv'] });
  });

  test('lint of an Asterisk root loads neither the other engines nor the other commands or reporters', () => {
    const { code, dist } = probe(tempTree({ 'x/.keep': '' }), ['lint', pbx]);
    expect(code).toBe(1);
    expect(dist).toContain('src/parsers/asterisk/index.js');
    expect(dist).toContain('src/reporters/stylish.js');
    // Of the other engines, only their discovery (src/engines/<engine>.js) runs.
    const unwanted = /^(?!src\/engines\/).*(kamailio|freeswitch)|^src\/graph\/|^src\/assertions\/|^src\/route\.js$|^src\/reporters\/(json|sarif|junit|github|rule-docs)\.js$/;
    expect(dist.filter((f) => unwanted.test(f))).toEqual([]);
  });

  test('lint loads yargs without its help layout (cliui, string-width), which --help still loads and uses', () => {
    const layout = (args: string[]) => {
      const code = `const cli = require(${JSON.stringify(path.join(ROOT, 'dist/src/cli.js'))}); let out = '';
cli.main(process.argv.slice(1), { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, isTTY: false, cwd: process.cwd(), env: {} }).then(() => {
  process.stdout.write('\\nRESULT ' + JSON.stringify({ loaded: Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cliui|string-width)[\\\\/]/.test(k)).length > 0, out }));
});`;
      // yargs prints help itself (console.log), before the result line.
      const stdout = spawnSync(process.execPath, ['-e', code, ...args], { cwd: ROOT, encoding: 'utf8' }).stdout;
      const at = stdout.lastIndexOf('\nRESULT ');
      return { ...(JSON.parse(stdout.slice(at + 8)) as { loaded: boolean; out: string }), printed: stdout.slice(0, at) };
    };
    expect(layout(['lint', pbx]).loaded).toBe(false);
    const help = layout(['lint', '--help']);
    expect(help.loaded).toBe(true);
    expect(help.out + help.printed).toMatch(/--format.*Output format/);
  });

  test.each(PLATFORMS)('the registry\'s rules for %s are RULES filtered by platform, in order', (platform) => {
    expect(rulesFor(platform)).toEqual(RULES.filter((r) => r.platforms.includes(platform)));
  });
});

test('a reader that closes the pipe early ends the output quietly (no EPIPE stack trace)', () => {
  const bin = require('path').join(__dirname, '..', 'bin', 'pbxlint.js');
  // The reader closes its end before pbxlint writes anything: every write then meets EPIPE.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" rules | (exec 0<&-; sleep 1)`], { encoding: 'utf8' });
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(r.status).toBe(0);
});

test('a slow reader on a pipe gets the whole report, the same bytes as a file (pbxlint waits for it instead of queueing the report)', () => {
  const bin = path.join(__dirname, '..', 'bin', 'pbxlint.js');
  // 400 Dials to endpoints that do not exist: a report of ~200 KB, more than a pipe holds.
  const lines = ['[from-trunk]'];
  for (let i = 0; i < 400; i++) lines.push(`exten => ${1000 + i},1,Dial(PJSIP/missing${i})`);
  const dir = tempTree({ 'extensions.conf': lines.join('\n') + '\n', 'pjsip.conf': '[ep]\ntype=endpoint\n' });
  const direct = spawnSync(process.execPath, [bin, 'lint', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(direct.stdout.length).toBeGreaterThan(150000);
  // The reader starts reading only after a while: pbxlint meets a full pipe and waits.
  const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" lint "${dir}" --format json | (sleep 1; cat)`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(piped.stderr).toBe('');
  expect(piped.stdout).toBe(direct.stdout);
});
