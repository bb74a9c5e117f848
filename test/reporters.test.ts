/**
 * Every lint output format on the same fixture (fixtures/gate/pbx: two errors, two warnings, one
 * suppressed finding). SARIF is validated against the official SARIF 2.1.0 JSON Schema
 * (sarif-2.1.0-rtm.5, shipped in the @microsoft/jest-sarif package; draft-04, hence ajv-draft-04).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, GATE_PBX, ROOT, tempTree } from './helpers/gate-cli';
import { escapeData, escapeProperty } from '../src/reporters/github';
import { RULES } from '../rules';

const REL = 'fixtures/gate/pbx';
const EXPECTED = [
  { ruleId: 'dial-endpoint-missing', severity: 'error', file: `${REL}/extensions.conf`, line: 9, column: 17 },
  { ruleId: 'unused-suppression', severity: 'warning', file: `${REL}/extensions.conf`, line: 12, column: 1 },
  { ruleId: 'include-cycle', severity: 'warning', file: `${REL}/extensions.conf`, line: 20, column: 12 },
  { ruleId: 'endpoint-context-missing', severity: 'error', file: `${REL}/pjsip.conf`, line: 13, column: 9 },
];

function sarifValidator() {
  const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const Ajv4 = require('ajv-draft-04');
  // unicodeRegExp: false: the schema's language pattern is not valid with the u flag (a known typo in rtm.5).
  const ajv = new (Ajv4.default ?? Ajv4)({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
  return ajv.compile(schema);
}

describe('lint formats on the gate fixture', () => {
  test('json: the expected findings, the suppressed goto-target-missing absent', async () => {
    const r = await cli(['lint', GATE_PBX, '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout);
    expect(findings.map((f: Record<string, unknown>) => ({ ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, column: f.column }))).toEqual(EXPECTED);
    expect(findings.some((f: { ruleId: string }) => f.ruleId === 'goto-target-missing')).toBe(false);
  });

  test('stylish: grouped by file with a summary', async () => {
    const r = await cli(['lint', GATE_PBX]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${REL}/pjsip.conf\n`);
    expect(r.stdout).toMatch(/13:9\s+error\s+endpoint 1002 .* endpoint-context-missing/);
    expect(r.stdout).toContain('✖ 4 problems (2 errors, 2 warnings, 0 info) in 2 files of 1 configuration root');
  });

  test('sarif: valid against the SARIF 2.1.0 schema, with rules, help, helpUri, levels and locations', async () => {
    const r = await cli(['lint', GATE_PBX, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    const valid = validate(log);
    if (!valid) throw new Error(JSON.stringify(validate.errors, null, 2));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('pbxlint');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.id));
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'endpoint-context-missing');
    expect(rule.shortDescription.text).toMatch(/every call from it gets 404/);
    expect(rule.help.text).toMatch(/404/);
    expect(rule.help.markdown).toContain('# endpoint-context-missing');
    expect(rule.helpUri).toMatch(/docs\/rules\/endpoint-context-missing\.md$/);
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(run.tool.driver.rules.find((x: { id: string }) => x.id === 'not-modelled').defaultConfiguration.level).toBe('note');
    const results = run.results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }) => ({
      ruleId: x.ruleId,
      severity: x.level,
      file: x.locations[0].physicalLocation.artifactLocation.uri,
      line: x.locations[0].physicalLocation.region.startLine,
      column: x.locations[0].physicalLocation.region.startColumn,
    }));
    expect(results).toEqual(EXPECTED);
    const ctx = run.results.find((x: { ruleId: string }) => x.ruleId === 'endpoint-context-missing');
    expect(ctx.message.text).toContain('On the wire: INVITE from endpoint 1002 for any number → 404 Not Found');
    expect(run.tool.driver.rules[ctx.ruleIndex].id).toBe('endpoint-context-missing');
  });

  test('sarif helpUri follows PBXLINT_DOCS_BASE_URL-style overrides from the config file', async () => {
    const r = await cli(['lint', GATE_PBX, '--format', 'sarif', '--config', path.join(ROOT, 'fixtures/gate/docs-url.pbxlintrc.json')]);
    const rule = JSON.parse(r.stdout).runs[0].tool.driver.rules[0];
    expect(rule.helpUri).toBe(`https://git.example.com/pbxlint/docs/rules/${rule.id}.md`);
  });

  test('junit: a testsuite per file, a failing testcase per finding', async () => {
    const r = await cli(['lint', GATE_PBX, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pbxlint" tests="4" failures="4" errors="0">/);
    expect(r.stdout).toContain(`<testsuite name="${REL}/pjsip.conf" tests="1" failures="1"`);
    expect(r.stdout).toContain('classname="pbxlint.endpoint-context-missing"');
    expect(r.stdout).toContain('sends its calls to context &quot;from-internl&quot;');
    expect((r.stdout.match(/<testcase /g) ?? []).length).toBe(4);
  });

  test('junit: a clean run is one passing testcase', async () => {
    const r = await cli(['lint', path.join(ROOT, 'fixtures/rules/unused-suppression/clean'), '--format', 'junit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tests="1" failures="0"');
  });

  test('github: one workflow command per finding, escaped', async () => {
    const r = await cli(['lint', GATE_PBX, '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^::error file=fixtures\/gate\/pbx\/extensions\.conf,line=9,col=17,title=pbxlint dial-endpoint-missing::Dial\(PJSIP\/1099\) at 2000,1@from-internal: no PJSIP endpoint "1099"/);
    expect(lines[1]).toMatch(/^::warning file=.*,line=12,col=1,title=pbxlint unused-suppression::/);
    expect(lines[0]).toContain('%0Awire: the Dial always fails');
    for (const l of lines) expect(l).not.toMatch(/\r/);
  });

  test('github escaping follows the toolkit: % \\r \\n in data; also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
  });

  test('--quiet reports errors only; --output-file writes the report to a file', async () => {
    const out = path.join(ROOT, 'node_modules/.cache/pbxlint-test/report.json');
    fs.rmSync(out, { force: true });
    const r = await cli(['lint', GATE_PBX, '--format', 'json', '--quiet', '--output-file', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const findings = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(findings.map((f: { severity: string }) => f.severity)).toEqual(['error', 'error']);
  });

  test('--max-warnings: exceeding it exits 1 even without errors', async () => {
    const dir = tempTree({ 'extensions.conf': '[a]\n; pbxlint-disable-next-line goto-target-missing\nexten => 1,1,NoOp()\n' });
    expect((await cli(['lint', dir])).code).toBe(0);
    expect((await cli(['lint', dir, '--max-warnings', '1'])).code).toBe(0);
    const over = await cli(['lint', dir, '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('too many warnings (1); the maximum allowed is 0');
  });
});
