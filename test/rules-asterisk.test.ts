/**
 * Every Asterisk rule on its fixtures: fixtures/rules/<id>/fires must produce exactly the listed
 * findings (file, line, column, a fragment of the message), fixtures/rules/<id>/clean none.
 */
import { allFindings, findingsOf, fixture } from './helpers/rule-tester';
import { writeTree } from './helpers/tmp-config';

interface Expected {
  file: string;
  line: number;
  column?: number;
  message: RegExp;
}

const fires: Record<string, Expected[]> = {
  'endpoint-context-missing': [
    { file: 'pjsip.conf', line: 3, column: 9, message: /endpoint 1003 .*"from-internl", which does not exist/ },
    { file: 'pjsip.conf', line: 12, column: 9, message: /"From-Internal".*\[from-internal\] exists, but context names are case-sensitive/ },
  ],
  'include-missing-context': [
    { file: 'extensions.conf', line: 2, column: 12, message: /includes "outbound-calls", which does not exist/ },
    { file: 'extensions.conf', line: 3, column: 12, message: /"Features".*differs only in case/ },
  ],
  'include-cycle': [{ file: 'extensions.conf', line: 9, message: /\[a\] → \[b\] → \[c\] → \[a\]/ }],
  'goto-target-missing': [
    { file: 'extensions.conf', line: 2, message: /context "voicemail-menu" does not exist/ },
    { file: 'extensions.conf', line: 3, message: /no extension t in \[menus\]/ },
    { file: 'extensions.conf', line: 4, message: /context "sub-record" does not exist/ },
    { file: 'extensions.conf', line: 5, message: /no label "nolabel" on s in \[menus\]/ },
    { file: 'extensions.conf', line: 6, message: /GotoIf\(missing,s,1\).*context "missing" does not exist/ },
    { file: 'extensions.conf', line: 7, message: /Macro\(macro-screen,s,1\).*context "macro-screen" does not exist/ },
    { file: 'extensions.conf', line: 8, message: /Dial\(Local\)\(menus,777,1\).*no extension 777 in \[menus\]/ },
  ],
  'dial-endpoint-missing': [
    { file: 'extensions.conf', line: 2, message: /no PJSIP endpoint "1002"/ },
    { file: 'extensions.conf', line: 3, message: /names AOR 1004, which does not exist/ },
    { file: 'extensions.conf', line: 4, message: /AOR 1005 has no contact= and max_contacts=0/ },
    { file: 'extensions.conf', line: 5, message: /Dial\(PJSIP\/1099\).*no PJSIP endpoint "1099"/ },
  ],
  'duplicate-priority': [
    { file: 'extensions.conf', line: 3, column: 1, message: /100, priority 1 .*already defined at extensions.conf:2.*drops this line \(Playback\)/ },
    { file: 'extensions.conf', line: 5, message: /_NXX, priority 1 .*already defined at extensions.conf:4/ },
  ],
  'missing-priority-1': [
    { file: 'extensions.conf', line: 3, message: /200 in \[from-internal\] has no priority 1 \(its first is 2\)/ },
    { file: 'extensions.conf', line: 4, message: /_3XX .*no priority 1/ },
  ],
  'parse-error': [
    { file: 'extensions.conf', line: 1, column: 1, message: /comes before any \[section\].*rejects the whole file/ },
  ],
  'include-file-missing': [
    { file: 'extensions.conf', line: 5, column: 10, message: /#include "extensions_custom.conf": no such file .*was listed as a #include but it does not exist/ },
  ],
  'exec-directive': [{ file: 'extensions.conf', line: 2, column: 1, message: /#exec \/usr\/local\/bin\/generate-extensions.sh: ignored by Asterisk because execincludes is not enabled/ }],
  'unreachable-pattern': [
    { file: 'extensions.conf', line: 5, message: /_ZX in \[from-trunk\] can never be chosen: every number it matches is taken first by _1X, _\[2-9\]X/ },
    { file: 'extensions.conf', line: 9, message: /_\[2-3\]XXXXXX .*never be chosen.*_2XXXXXX, _3XXXXXX/ },
    { file: 'extensions.conf', line: 12, message: /_555123\[4\] .*never be chosen: every number it matches is taken first by 5551234/ },
  ],
  'trunk-number-format': [
    { file: 'pjsip.conf', line: 3, column: 9, message: /trunk-a is a trunk .* matches 10-digit numbers but no E.164 number/ },
    { file: 'pjsip.conf', line: 15, column: 9, message: /trunk-b is a trunk .* matches E.164 numbers only/ },
  ],
  'aor-cannot-register': [
    { file: 'pjsip.conf', line: 12, column: 2, message: /endpoint 1001 authenticates callers .* AOR 1001 has max_contacts=0 \(the default\)/ },
    { file: 'pjsip_wizard.conf', line: 1, message: /endpoint 2001 .*pjsip_wizard.conf \[2001\] needs aor\/max_contacts/ },
  ],
  'unknown-application': [
    { file: 'extensions.conf', line: 3, column: 12, message: /"Dail" at _1XXX,2@from-internal is not an Asterisk application \(did you mean Dial\?\)/ },
    { file: 'extensions.conf', line: 5, message: /"MyCustomIVR" .* is not an Asterisk application: Asterisk logs "No application 'MyCustomIVR' for extension"/ },
  ],
  'not-modelled': [{ file: 'users.conf', line: 1, message: /users.conf also adds to the dialplan/ }],
};

describe.each(Object.entries(fires))('%s', (ruleId, expected) => {
  test('fires on fixtures/rules/<id>/fires with the listed locations', () => {
    const found = findingsOf(ruleId, fixture('rules', ruleId, 'fires'));
    const shown = found.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`).join('\n');
    expect(found).toHaveLength(expected.length);
    for (const e of expected) {
      const hit = found.find((f) => f.file === e.file && f.line === e.line && (e.column === undefined || f.column === e.column) && e.message.test(f.message));
      if (!hit) throw new Error(`expected ${e.file}:${e.line}${e.column ? `:${e.column}` : ''} ${e.message} among:\n${shown}`);
    }
    for (const f of found) {
      expect(f.ruleId).toBe(ruleId);
      expect(f.message.length).toBeGreaterThan(10);
    }
  });

  test('stays silent on fixtures/rules/<id>/clean', () => {
    const found = findingsOf(ruleId, fixture('rules', ruleId, 'clean'));
    expect(found.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([]);
  });
});

test('error findings say what happens on the wire and how to fix it', () => {
  for (const id of ['endpoint-context-missing', 'include-missing-context', 'goto-target-missing', 'dial-endpoint-missing', 'missing-priority-1', 'trunk-number-format', 'unreachable-pattern', 'aor-cannot-register']) {
    for (const f of findingsOf(id, fixture('rules', id, 'fires'))) {
      expect(f.wire).toBeTruthy();
      expect(f.fix).toBeTruthy();
    }
  }
});

test('trunk-number-format names exact example numbers that 404', () => {
  const [a, b] = findingsOf('trunk-number-format', fixture('rules', 'trunk-number-format', 'fires'));
  expect(a.wire).toBe('INVITE for +12025551234 from trunk-a → 404 (no extension in [from-trunk] matches it)');
  expect(b.wire).toMatch(/^INVITE for \d{10} from trunk-b → 404/);
});

test('trunk-number-format with a declared format (rule option trunkFormats) is an error when numbers of that format miss', () => {
  const found = findingsOf('trunk-number-format', fixture('rules', 'trunk-number-format', 'fires'), {
    settings: { 'trunk-number-format': ['warning', { trunkFormats: { 'trunk-a': 'national11', 'trunk-b': 'e164' } }] },
  });
  expect(found.map((f) => [f.severity, f.message])).toEqual([['error', expect.stringMatching(/^trunk-a delivers 11-digit \(1NXXNXXXXXX\) numbers, but \[from-trunk\] matches none/)]]);
});

test('trunk-number-format: endpoints named like Object.prototype members (toString, constructor) are endpoints like any other', () => {
  const dir = writeTree({
    'pjsip.conf': '[toString]\ntype=endpoint\ncontext=from-x\n\n[constructor]\ntype=endpoint\ncontext=from-x\n',
    'extensions.conf': '[from-x]\nexten => 100,1,Hangup()\n',
  });
  expect(allFindings(dir).filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  const declared = findingsOf('trunk-number-format', dir, { settings: { 'trunk-number-format': ['warning', { trunkFormats: { toString: 'e164' } }] } });
  expect(declared.map((f) => f.message)).toEqual([expect.stringMatching(/^toString delivers E\.164 \(\+1NXXNXXXXXX\) numbers, but \[from-x\] matches none of them/)]);
});

test('trunk-number-format: trunks sharing a context are each reported, with their own declared format', () => {
  const trunk = (name: string, ip: string) => `[${name}]\ntype=endpoint\ncontext=from-carrier\n[${name}]\ntype=identify\nendpoint=${name}\nmatch=${ip}\n`;
  const dir = writeTree({
    'pjsip.conf': [trunk('carrier-a', '192.0.2.1'), trunk('carrier-b', '192.0.2.2'), trunk('carrier-c', '192.0.2.3')].join('\n'),
    'extensions.conf': '[from-carrier]\nexten => _NXXNXXXXXX,1,Hangup()\n',
  });
  const found = findingsOf('trunk-number-format', dir, { settings: { 'trunk-number-format': ['warning', { trunkFormats: { 'carrier-c': 'national10' } }] } });
  expect(found.map((f) => [f.line, f.wire])).toEqual([
    [3, 'INVITE for +12025551234 from carrier-a → 404 (no extension in [from-carrier] matches it)'],
    [11, 'INVITE for +12025551234 from carrier-b → 404 (no extension in [from-carrier] matches it)'],
  ]);
});

test('unknown-application accepts applications listed in the rule option knownApplications', () => {
  const found = findingsOf('unknown-application', fixture('rules', 'unknown-application', 'fires'), { settings: { 'unknown-application': ['warning', { knownApplications: ['MyCustomIVR'] }] } });
  expect(found.map((f) => f.line)).toEqual([3]);
});

test('unknown-application: blanks before "(" stay part of the name, as pbx_config keeps them (ast_skip_blanks trims only the front)', () => {
  const dir = writeTree({ 'extensions.conf': '[a]\nexten => 1,1,Dial (PJSIP/x)\nexten => 2,1,\tAnswer()\n', 'pjsip.conf': '[x]\ntype=endpoint\ncontext=a\n' });
  const found = findingsOf('unknown-application', dir);
  expect(found.map((f) => [f.line, f.message])).toEqual([[2, expect.stringMatching(/^"Dial " at 1,1@a is not an Asterisk application \(did you mean Dial\?\)/)]]);
});

test('goto-target-missing looks a label up as Asterisk does at run time (includes, other matching extensions, any caller)', () => {
  const dir = writeTree({
    'extensions.conf': [
      '[a]',
      'include => b',
      'exten => 1,1,Goto(200,viainclude)',
      'exten => 2,1,Goto(300,vip)',
      'exten => 3,1,Goto(200,nowhere)',
      'exten => 400,1,Goto(frompattern)',
      'exten => _4XX,1,NoOp()',
      ' same => n(frompattern),Hangup()',
      'exten => 300/5551234,1(vip),Hangup()',
      'exten => 300,1,Hangup()',
      '[b]',
      'exten => 200,1(viainclude),Hangup()',
    ].join('\n') + '\n',
  });
  expect(findingsOf('goto-target-missing', dir).map((f) => [f.line, f.message])).toEqual([[5, expect.stringMatching(/no label "nowhere" on 200 in \[a\]/)]]);
});

test('dial-endpoint-missing names the destination as written and the name looked up, however it is spelt (a finding keeps the spelling only when it is not PJSIP/<name>)', () => {
  const dir = writeTree({
    'extensions.conf': '[from-trunk]\nexten => 1,1,Dial(pjsip/lower)\nexten => 2,1,Dial(PJSIP/555@viaep)\nexten => 3,1,Dial(SIP/nopeer)\nexten => 4,1,Dial(PJSIP/ep/sip:1@x)\nexten => 5,1,Dial( PJSIP/spaced &PJSIP/ep9)\nexten => 7,1,Dial(PJSIP/PJSIP/)\n',
    'pjsip.conf': '[noaor]\ntype=endpoint\n',
    'sip.conf': '[general]\n[x]\ntype=peer\nhost=dynamic\n',
  });
  expect(findingsOf('dial-endpoint-missing', dir).map((f) => [f.message.slice(0, f.message.indexOf(' at ')), f.fix])).toEqual([
    ['Dial(pjsip/lower)', 'dial an existing endpoint or define lower'],
    ['Dial(PJSIP/555@viaep)', 'dial an existing endpoint or define viaep'],
    ['Dial(SIP/nopeer)', 'dial an existing peer or define nopeer'],
    ['Dial(PJSIP/ep/sip:1@x)', 'dial an existing endpoint or define ep'],
    ['Dial(PJSIP/spaced)', 'dial an existing endpoint or define spaced'],
    ['Dial(PJSIP/ep9)', 'dial an existing endpoint or define ep9'],
    ['Dial(PJSIP/PJSIP/)', 'dial an existing endpoint or define PJSIP'],
  ]);
});
