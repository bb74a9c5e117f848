/**
 * Issue 17: every file of ../shared/corpus named on its own loads — through the root that
 * includes it, as a root, or checked alone for syntax — except files that are no configuration
 * pbxlint reads (READMEs, templates, OpenSIPS …), refused with the reason; and the roots load with
 * no error the engine would not raise (Kamailio's are checked against kamailio -c in
 * kamailio-corpus.test.ts; here: FreeSWITCH none, Asterisk only the missing #include and the
 * duplicate objects its testsuite provokes on purpose).
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintPaths } from '../src/lint';
import { corpusOrSkip } from './helpers/rule-tester';

const corpus = corpusOrSkip('');
const run = corpus ? test : test.skip;

/** What pbxlint does not read, and says so: not Asterisk/Kamailio/FreeSWITCH configuration, or a file the root above does not read in a format of its own. */
const NOT_CONFIGURATION = /(^|\/)(README[^/]*|MANIFEST\.md|mime\.types|modules\.conf|config\.FS0|[^/]*\.(tpl|ttml|noload|adsi|txt)|extensions\.(ael|lua)\.sample|ss7\.timers\.sample|dispatcher\.list\.sample|tls\.cfg\.sample|ast_debug_tools\.conf\.sample|dbsep\.conf\.sample)$|^opensips/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

run('every corpus file named alone is loaded or refused with a reason only when it is no configuration pbxlint reads', () => {
  const refused: string[] = [];
  const unexpected: string[] = [];
  // All files in one call: each is still placed on its own, and each root loads once.
  {
    const files = walk(corpus!);
    const r = lintPaths(files);
    expect(r.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
    for (const file of files) {
      const rel = path.relative(corpus!, file);
      const shown = path.relative(process.cwd(), file);
      const why = r.errors.filter((e) => e.startsWith(`${file}:`) || e.startsWith(`${shown}:`));
      if (!why.length) continue;
      refused.push(rel);
      if (!NOT_CONFIGURATION.test(rel)) unexpected.push(why.join('; '));
    }
  }
  expect(unexpected).toEqual([]);
  expect(refused.length).toBeGreaterThan(0); // the READMEs: refusals are still reported
  expect(refused.length).toBeLessThan(100);
});

run('FreeSWITCH and Asterisk roots load with no error the engine would not raise', () => {
  const errors: string[] = [];
  for (const source of ['freeswitch', 'asterisk', 'asterisk-branch20', 'asterisk-testsuite', 'asterisk-testsuite-branch16']) {
    const r = lintPaths([path.join(corpus!, source)]);
    expect(r.errors).toEqual([]);
    for (const f of r.findings) {
      if (f.severity !== 'error' || !['parse-error', 'include-file-missing', 'internal-error'].includes(f.ruleId)) continue;
      // Engine behaviour: a missing #include (the testsuite slice lacks files other tests provide)
      // and duplicate sorcery objects (tests/channels/pjsip/configuration/duplicate_sections).
      if (f.ruleId === 'include-file-missing' || /duplicate (aor|auth|endpoint) "siptrunk"/.test(f.message)) continue;
      errors.push(`${path.relative(corpus!, f.file)}:${f.line} ${f.ruleId} ${f.message}`);
    }
  }
  expect(errors).toEqual([]);
});
