/**
 * Real Asterisk configurations from ../shared/corpus (skipped with a note when absent): every file
 * in Asterisk's config format reads without an error-severity parse issue, and linting every
 * configuration root never crashes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readConf } from '../src/parsers/asterisk/conf';
import { loadAsterisk } from '../src/parsers/asterisk';
import { lintPaths } from '../src/lint';
import { RULES } from '../rules';
import { runRules } from '../src/rules/runner';
import { corpusOrSkip } from './helpers/rule-tester';

/** Not in Asterisk's config format: shell fragments read by scripts, not by config.c. */
const NOT_ASTERISK_FORMAT = new Set(['ast_debug_tools.conf.sample', 'dbsep.conf.sample']);

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.conf(\.sample)?$/.test(e.name) && !NOT_ASTERISK_FORMAT.has(e.name)) out.push(p);
  }
  return out;
}

const sources = ['asterisk', 'asterisk-branch20', 'asterisk-testsuite', 'asterisk-testsuite-branch16'];

describe.each(sources)('corpus %s', (source) => {
  const dir = corpusOrSkip(source);
  const run = dir ? test : test.skip;

  run('every config-format file reads with no error-severity parse issue', () => {
    const files = walk(dir!);
    expect(files.length).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const file of files) {
      const doc = readConf(path.dirname(file), path.basename(file));
      for (const i of doc.issues) {
        if (i.severity !== 'error') continue;
        // The corpus is a slice: some tests #include files the testsuite provides from elsewhere.
        if (i.kind === 'include-missing') continue;
        errors.push(`${path.relative(dir!, i.location.file)}:${i.location.line} ${i.message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  run('linting every configuration root never crashes (no internal-error)', () => {
    const result = lintPaths([dir!]);
    expect(result.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  });
});

test('the sample configuration (configs/samples, read as *.conf.sample) loads and every rule runs', () => {
  const dir = corpusOrSkip('asterisk/configs/samples');
  if (!dir) return;
  const model = loadAsterisk(dir, { suffix: '.sample' });
  expect(model.dialplan.contexts.size).toBeGreaterThan(20);
  expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const findings = runRules(model, RULES);
  expect(findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
});

test('chan_sip samples (branch 20 sip.conf.sample) load: [general] defaults and peers', () => {
  const dir = corpusOrSkip('asterisk-branch20/configs/samples');
  if (!dir) return;
  const model = loadAsterisk(dir, { suffix: '.sample' });
  expect(model.sip.present).toBe(true);
  expect(model.sip.general.context.value).toBe('public');
  expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  expect(runRules(model, RULES).filter((f) => f.ruleId === 'internal-error')).toEqual([]);
});

test('the testsuite\'s deliberate duplicate sections are reported as res_sorcery_config reports them', () => {
  const dir = corpusOrSkip('asterisk-testsuite/tests/channels/pjsip/configuration/duplicate_sections/configs/ast1');
  if (!dir) return;
  const model = loadAsterisk(dir);
  expect(model.issues.some((i) => /duplicate aor "siptrunk".*no aor object is loaded/.test(i.message))).toBe(true);
});
