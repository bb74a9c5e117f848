/** The configuration file: discovery, validation with file:line:key, and its effect on lint. */
import * as fs from 'fs';
import * as path from 'path';
import { cli, tempTree, ROOT } from './helpers/gate-cli';
import { findConfigFile, loadConfig, ConfigError } from '../src/config';

const BROKEN_PBX = {
  'pbx/extensions.conf': '[from-internal]\nexten => 100,1,Goto(nowhere,s,1)\n[a]\ninclude => b\n[b]\ninclude => a\n',
  'pbx/pjsip.conf': '[100]\ntype=endpoint\ncontext=from-internl\n',
};

describe('config discovery', () => {
  test('nearest .pbxlintrc.json from the working directory upwards; .pbxlintrc and package.json "pbxlint" too', () => {
    const dir = tempTree({ '.pbxlintrc.json': '{}', 'a/b/.keep': '', 'c/.pbxlintrc': '{}', 'd/package.json': '{"name":"x","pbxlint":{}}', 'e/package.json': '{"name":"y"}' });
    expect(findConfigFile(path.join(dir, 'a/b'))).toBe(path.join(dir, '.pbxlintrc.json'));
    expect(findConfigFile(path.join(dir, 'c'))).toBe(path.join(dir, 'c/.pbxlintrc'));
    expect(findConfigFile(path.join(dir, 'd'))).toBe(path.join(dir, 'd/package.json'));
    // a package.json without "pbxlint" is not a config: the search goes on upwards
    expect(findConfigFile(path.join(dir, 'e'))).toBe(path.join(dir, '.pbxlintrc.json'));
  });

  test('rule severities from the discovered file change the findings; --config overrides discovery', async () => {
    const dir = tempTree({ ...BROKEN_PBX, '.pbxlintrc.json': JSON.stringify({ rules: { 'goto-target-missing': 'off', 'include-cycle': 'error', 'endpoint-context-missing': ['warn', {}] } }), 'other.json': '{}' });
    const r = await cli(['lint', 'pbx', '--format', 'json'], dir);
    const byRule = Object.fromEntries(JSON.parse(r.stdout).map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity]));
    expect(byRule).toEqual({ 'include-cycle': 'error', 'endpoint-context-missing': 'warning' });
    const plain = await cli(['lint', 'pbx', '--format', 'json', '--config', 'other.json'], dir);
    expect(JSON.parse(plain.stdout).map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['endpoint-context-missing', 'goto-target-missing', 'include-cycle']);
  });

  test('roots (with a platform) are linted when no path is given', async () => {
    const dir = tempTree({ ...BROKEN_PBX, 'ignored/extensions.conf': '[x]\nexten => 1,1,Goto(missing,s,1)\n', '.pbxlintrc.json': JSON.stringify({ roots: [{ path: 'pbx', platform: 'asterisk' }] }) });
    const r = await cli(['lint', '--format', 'json'], dir);
    const files = new Set(JSON.parse(r.stdout).map((f: { file: string }) => f.file));
    expect([...files].sort()).toEqual(['pbx/extensions.conf', 'pbx/pjsip.conf']);
  });

  test('trunks become trunk-number-format options (trunkFormats by endpoint name)', () => {
    const dir = tempTree({ '.pbxlintrc.json': JSON.stringify({ trunks: { 'trunk-a': 'e164', 'carrier-b': 'national10' }, registered: ['1001'], defines: ['WITH_AUTH'], vars: { local_ip_v4: '10.0.0.5' }, myself: ['sip.example.com'] }) });
    const c = loadConfig(path.join(dir, '.pbxlintrc.json'));
    const setting = c.settings['trunk-number-format'] as [string, Record<string, unknown>];
    expect(setting[1].trunkFormats).toEqual({ 'trunk-a': 'e164', 'carrier-b': 'national10' });
    expect(c.registered).toEqual(['1001']);
    expect(c.load).toEqual({ defines: ['WITH_AUTH'], vars: { local_ip_v4: '10.0.0.5' }, myself: ['sip.example.com'] });
  });
});

describe('config in pbxlint route', () => {
  test('registered users and the platform come from the config file unless given on the command line', async () => {
    const pbx = path.join(ROOT, 'fixtures/examples/asterisk-pbx');
    const dir = tempTree({ '.pbxlintrc.json': JSON.stringify({ registered: ['1001'], platform: 'asterisk' }) });
    const fromConfig = await cli(['route', '2025550100', pbx, '--endpoint', 'trunk-a', '--format', 'json'], dir);
    expect(JSON.parse(fromConfig.stdout)).toMatchObject({ verdict: 'routed', target: { name: 'PJSIP/1001' } });
    const overridden = await cli(['route', '2025550100', pbx, '--endpoint', 'trunk-a', '--unregistered', '--format', 'json'], dir);
    expect(JSON.parse(overridden.stdout).target.name).toBe('VoiceMail(1001@default,u)');
    const bad = tempTree({ '.pbxlintrc.json': '{"registered": "1001"}' });
    const r = await cli(['route', '1', pbx, '--endpoint', 'trunk-a'], bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.pbxlintrc.json:1:2: registered: must be array');
  });
});

describe('config validation', () => {
  function problems(text: string, name = '.pbxlintrc.json'): string[] {
    const dir = tempTree({ [name]: text });
    try {
      loadConfig(path.join(dir, name));
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${p.line}:${p.column} ${p.field}: ${p.message}`);
      throw e;
    }
    return [];
  }

  test('wrong keys and values are named with their line and why', () => {
    const text = ['{', '  "rules": {', '    "parse-error": "eror"', '  },', '  "trunks": { "trunk-a": "E164" },', '  "rootz": []', '}'].join('\n');
    expect(problems(text)).toEqual([
      '3:5 rules.parse-error: must be one of "off", "info", "warn", "warning", "error"',
      '5:15 trunks.trunk-a: must be one of "e164", "national10", "national11", "any"',
      '6:3 rootz: unknown key "rootz"',
    ]);
  });

  test('the trunk-number-format rule option trunkFormats is checked like trunks', () => {
    expect(problems('{\n  "rules": { "trunk-number-format": ["warning", { "trunkFormats": { "toString": "E164" } }] }\n}')).toEqual([
      expect.stringMatching(/^2:\d+ rules\.trunk-number-format\[1\]\.trunkFormats\.toString: must be one of "e164", "national10", "national11", "any"$/),
    ]);
  });

  test('unknown rule ids are errors, with a suggestion', () => {
    expect(problems('{\n  "rules": {\n    "goto-target-mising": "warn"\n  }\n}')).toEqual(['3:5 rules.goto-target-mising: unknown rule id "goto-target-mising" (did you mean "goto-target-missing"?); `pbxlint rules` lists them']);
  });

  test('invalid JSON is reported at its position', () => {
    expect(problems('{\n  "rules": {},\n}')).toEqual([expect.stringMatching(/^3:1 : invalid JSON/)]);
  });

  test('package.json "pbxlint" key: positions inside package.json', () => {
    expect(problems('{\n  "name": "x",\n  "pbxlint": {\n    "platform": "asterix"\n  }\n}', 'package.json')).toEqual(['4:5 platform: must be one of "asterisk", "kamailio", "freeswitch"']);
  });

  test('the CLI exits 2 and prints file:line:col: key: why', async () => {
    const dir = tempTree({ ...BROKEN_PBX, '.pbxlintrc.json': '{\n  "rules": { "no-such-rule": "off" }\n}\n' });
    const r = await cli(['lint', 'pbx'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('.pbxlintrc.json:2:14: rules.no-such-rule: unknown rule id "no-such-rule"');
    const missing = await cli(['lint', 'pbx', '--config', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file (given with --config)');
  });

  test('the shipped schema is valid JSON Schema and documents every top-level key the loader reads', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/pbxlintrc.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', 'defines', 'docsBaseUrl', 'myself', 'platform', 'registered', 'roots', 'rules', 'trunks', 'vars']);
    const Ajv = require('ajv').default;
    for (const file of ['pbxlintrc.schema.json', 'pbxlint-routes.schema.json']) {
      const ajv = new Ajv({ strict: true, strictTuples: false, strictTypes: false });
      const s = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', file), 'utf8'));
      expect(ajv.validateSchema(s)).toBe(true);
      expect(() => ajv.compile(s)).not.toThrow();
    }
  });
});
