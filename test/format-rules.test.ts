/**
 * The number-format rules are consequences of the coverage map (issue 14): the class of numbers
 * of a format a finding names is exactly the union of the map's 404 classes of that entry point,
 * restricted to the format — on configurations with literals and patterns.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli';
import { countMembers, intersect, isEmpty, toRegex, unionAll, type Dfa } from '../src/automata/dfa';
import { asteriskCoverage } from '../src/coverage/asterisk';
import { NANP_FORMATS, phoneLikeExample } from '../src/coverage/format-class';
import { languageOfClass } from '../src/coverage/partition';
import { runCoverage } from '../src/coverage/run';
import type { CoverageReport } from '../src/coverage/types';
import type { Finding } from '../src/core/findings';
import { loadAsterisk } from '../src/parsers/asterisk';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { loadKamailio } from '../src/parsers/kamailio';
import { freeswitchCoverage } from '../src/coverage/freeswitch';
import { kamailioCoverage } from '../src/coverage/kamailio';
import { builtInFormat, builtInFormats } from '../src/coverage/formats';
import { languageDfa, pcreSearchLanguage } from '../src/automata/pcre/pcre-re';
import { difference } from '../src/automata/dfa';
import { probe } from '../src/resolvers/kamailio/probe';
import { findingsOf } from './helpers/rule-tester';
import { writeTree } from './helpers/tmp-config';

/** The union of the map's classes rejected with `status`, within `format`. */
function mapClass(report: CoverageReport, entryName: string, format: Dfa, status: number): Dfa {
  const entry = report.entries.find((e) => e.entry.name === entryName || e.entry.alsoFrom?.includes(entryName));
  if (!entry) throw new Error(`no entry ${entryName}`);
  const parts = entry.classes.filter((c) => c.verdict === 'rejected' && c.status === status).map((c) => intersect(languageOfClass(c)!, format));
  return unionAll(parts.filter((p) => !isEmpty(p)));
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('trunk-number-format (Asterisk)', () => {
  const trunk = (name: string, context: string, ip: string, overlap: 'yes' | 'no') => `[${name}]\ntype=endpoint\ncontext=${context}\nallow_overlap=${overlap}\n[${name}]\ntype=identify\nendpoint=${name}\nmatch=${ip}\n`;
  const dir = writeTree({
    'pjsip.conf': [
      trunk('carrier-e164', 'from-carrier', '192.0.2.1', 'no'),
      trunk('carrier-10', 'from-carrier', '192.0.2.2', 'no'),
      trunk('carrier-11', 'from-carrier', '192.0.2.3', 'no'),
      trunk('carrier-overlap', 'from-overlap', '192.0.2.4', 'yes'),
    ].join('\n'),
    'extensions.conf': [
      '[from-carrier]',
      'exten => 2025550100,1,Answer()',
      'exten => 2025550101,1,Answer()',
      'exten => 12025550199,1,Answer()',
      'exten => _1NXX555XXXX,1,Answer()',
      'exten => _+1202NXXXXXX,1,Answer()',
      'exten => _+1303NXXXXXX/5551234,1,Answer()',
      'exten => 2025550199/5551234,1,Answer()',
      'include => more',
      '[more]',
      'exten => _+1404NXXXXXX,1,Answer()',
      'exten => 3035550100,1,Answer()',
      '[from-overlap]',
      'exten => _2025550XXXX,1,Answer()',
      'exten => 3035550100,1,Answer()',
      'exten => _1NXXNXXXXXX,1,Answer()',
    ].join('\n') + '\n',
  });
  dirs.push(dir);
  const declared = { 'carrier-e164': 'e164', 'carrier-10': 'national10', 'carrier-11': 'national11', 'carrier-overlap': 'national10' } as const;
  const findings = findingsOf('trunk-number-format', dir, { settings: { 'trunk-number-format': ['warning', { trunkFormats: declared }] } });
  const model = loadAsterisk(dir);
  const report = runCoverage('asterisk', asteriskCoverage, model, { base: { user: '', method: 'INVITE' }, strict: true });

  for (const [endpoint, f] of Object.entries(declared)) {
    test(`${endpoint}: the class of ${f} numbers is the map's 404 classes ∩ the format`, () => {
      const format = builtInFormat(NANP_FORMATS[f]).language;
      const expected = mapClass(report, endpoint, format, 404);
      const finding = findings.find((x: Finding) => x.message.startsWith(`${endpoint} `));
      expect(isEmpty(expected)).toBe(false);
      expect(finding?.numbers).toHaveLength(1);
      const n = finding!.numbers![0];
      expect([n.regex, n.count, n.status]).toEqual([toRegex(expected), countMembers(expected), 404]);
      expect(n.example).toBe(phoneLikeExample(expected));
      expect(finding!.wire).toBe(`INVITE for ${n.example} from ${endpoint} → 404 (no extension in [${endpoint === 'carrier-overlap' ? 'from-overlap' : 'from-carrier'}] matches it)`);
    });
  }

  test('what the findings say: the class in words, the deciding context, overlap 484s left out', () => {
    const byEp = new Map(findings.map((x) => [x.message.split(' ')[0], x.numbers![0]]));
    // The literals and patterns of the context and its include are taken out; the caller-ID match is the caller's matter (not 404 for every caller).
    expect(byEp.get('carrier-e164')!.description).toBe('all but 24,000,000 of the 6,400,000,000 numbers of +1NXXNXXXXXX (E.164 NANP) (6,376,000,000)');
    expect(byEp.get('carrier-10')!.description).toBe('all 6,399,999,996 numbers of NXXNXXXXXX (10-digit) but 2025550100, 2025550101, 2025550199, 3035550100');
    expect(byEp.get('carrier-overlap')!.description).toBe('all but 1,001 of the 6,400,000,000 numbers of NXXNXXXXXX (10-digit) (6,399,998,999)');
    expect(byEp.get('carrier-10')!.via).toEqual({ file: expect.stringMatching(/extensions\.conf$/), line: 1 });
  });
});

describe('freeswitch-did-format-mismatch', () => {
  const dir = writeTree({
    'freeswitch.xml': `<?xml version="1.0"?>
<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="sofia.conf">
      <profiles>
        <profile name="external">
          <settings>
            <param name="context" value="public"/>
            <param name="auth-calls" value="false"/>
          </settings>
        </profile>
      </profiles>
    </configuration>
  </section>
  <section name="dialplan">
    <context name="public">
      <extension name="did">
        <condition field="destination_number" expression="^(2025550100)$">
          <action application="answer"/>
        </condition>
      </extension>
      <extension name="denver">
        <condition field="destination_number" expression="^\\+1(303\\d{7})$">
          <action application="answer"/>
        </condition>
      </extension>
      <extension name="eleven">
        <condition field="destination_number" expression="^1(\\d{10})$">
          <action application="answer"/>
        </condition>
      </extension>
      <extension name="blocked">
        <condition field="destination_number" expression="^\\+1900">
          <action application="respond" data="403 Forbidden"/>
        </condition>
      </extension>
    </context>
  </section>
</document>
`,
  });
  dirs.push(dir);

  test("the finding's class is the map's 404 classes of the profile ∩ the E.164 format", () => {
    const findings = findingsOf('freeswitch-did-format-mismatch', dir);
    expect(findings).toHaveLength(1);
    const model = loadFreeswitch(dir);
    const report = runCoverage('freeswitch', freeswitchCoverage, model, { base: { user: '', method: 'INVITE', profile: 'external' }, strict: true });
    const format = builtInFormat(NANP_FORMATS.e164).language;
    const expected = mapClass(report, 'external', format, 404);
    const n = findings[0].numbers!;
    expect(n.map((x) => x.format)).toEqual([NANP_FORMATS.e164]); // the 11-digit form is routed (extension "eleven")
    expect([n[0].regex, n[0].count, n[0].status]).toEqual([toRegex(expected), countMembers(expected), 404]);
    // +1303… is routed and +1900… refused with 403: neither is in the 404 class.
    expect(n[0].description).toBe('all but 16,000,000 of the 6,400,000,000 numbers of +1NXXNXXXXXX (E.164 NANP) (6,384,000,000)');
    expect(findings[0].message).toMatch(/on profile external: 404 for all but 16,000,000 of the 6,400,000,000 numbers of \+1NXXNXXXXXX/);
  });
});

describe('kamailio-e164-rejected', () => {
  const dir = writeTree({
    'kamailio.cfg': `#!KAMAILIO
listen=udp:127.0.0.1:5060
alias="pbx.example.test"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
request_route {
\tif (uri != myself) {
\t\tsl_send_reply("403", "Not relaying");
\t\texit;
\t}
\tif ($rU == "+4930123456") {
\t\t$du = "sip:127.0.0.1:5080";
\t\tt_relay();
\t\texit;
\t}
\tif ($rU =~ "^\\+44") {
\t\tsl_send_reply("403", "Forbidden");
\t\texit;
\t}
\tif (!($rU =~ "^[0-9]+$")) {
\t\tsl_send_reply("404", "Not Found");
\t\texit;
\t}
\tif ($rU =~ "^00[1-9][0-9]{6,}$") {
\t\t$du = "sip:127.0.0.1:5080";
\t\tt_relay();
\t\texit;
\t}
\tsl_send_reply("404", "Not Found");
}
`,
  });
  dirs.push(dir);

  test("the finding's class is the map's 404 classes of request_route ∩ the E.164 format", () => {
    const findings = findingsOf('kamailio-e164-rejected', dir);
    expect(findings).toHaveLength(1);
    const model = loadKamailio(`${dir}/kamailio.cfg`);
    const base = probe(model, '');
    const report = runCoverage('kamailio', kamailioCoverage, model, { base, strict: true });
    expect(report.entries).toHaveLength(1);
    const format = builtInFormat('+CC… (E.164 international)').language;
    const expected = mapClass(report, report.entries[0].entry.name, format, 404);
    const n = findings[0].numbers!;
    expect([n[0].regex, n[0].count, n[0].status]).toEqual([toRegex(expected), countMembers(expected), 404]);
    // The literal is relayed, +44… refused with 403.
    expect(n[0].description).toBe('all but 11,111,111,111,112 of the 999,999,999,999,990 numbers of +CC… (E.164 international) (988,888,888,888,878)');
    expect(n[0].via?.line).toBe(23);
  });
});

test("each built-in format's short regex is its language", () => {
  for (const f of builtInFormats()) {
    const l = languageDfa(pcreSearchLanguage(f.regex!) as never);
    expect([f.name, isEmpty(difference(l, f.language)) && isEmpty(difference(f.language, l))]).toEqual([f.name, true]);
  }
});

test('the fires fixtures of the three rules name whole classes', () => {
  const fixtures = (id: string) => findingsOf(id, `${__dirname}/../fixtures/rules/${id}/fires`);
  const summary = (id: string) => fixtures(id).map((f) => (f.numbers ?? []).map((n) => [n.format, n.status, n.count, n.regex]));
  expect(summary('trunk-number-format')).toEqual([
    [[NANP_FORMATS.e164, 404, 6_400_000_000, '^\\+1[2-9]\\d{2}[2-9]\\d{6}$']],
    [[NANP_FORMATS.national10, 404, 6_400_000_000, '^[2-9]\\d{2}[2-9]\\d{6}$'], [NANP_FORMATS.national11, 404, 6_400_000_000, '^1[2-9]\\d{2}[2-9]\\d{6}$']],
  ]);
  expect(summary('freeswitch-did-format-mismatch')).toEqual([
    [[NANP_FORMATS.e164, 404, 6_400_000_000, '^\\+1[2-9]\\d{2}[2-9]\\d{6}$'], [NANP_FORMATS.national11, 404, 6_400_000_000, '^1[2-9]\\d{2}[2-9]\\d{6}$']],
  ]);
  expect(summary('kamailio-e164-rejected')).toEqual([[['+CC… (E.164 international)', 404, 999_999_999_999_990, '^\\+[1-9]\\d{1,14}$']]]);
});

test('JSON and SARIF carry the class (paths relative, as the findings\' own)', async () => {
  const root = path.resolve(__dirname, '..');
  const run = async (format: string) => {
    let stdout = '';
    await main(['lint', 'fixtures/rules/trunk-number-format/fires', '--format', format], { stdout: (s) => (stdout += s), stderr: () => undefined, isTTY: false, cwd: root, env: {} });
    return JSON.parse(stdout);
  };
  const json = await run('json');
  const numbers = json.filter((f: Finding) => f.ruleId === 'trunk-number-format')[0].numbers;
  expect(numbers[0]).toMatchObject({ pattern: '_+1NXXNXXXXXX', example: '+12025551234', via: { file: 'fixtures/rules/trunk-number-format/fires/extensions.conf', line: 1 } });
  const sarif = await run('sarif');
  const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'trunk-number-format');
  expect(result.properties.numbers[0]).toMatchObject({ pattern: '_+1NXXNXXXXXX', via: { uri: 'fixtures/rules/trunk-number-format/fires/extensions.conf', line: 1 } });
});
