/**
 * Every FreeSWITCH rule on its fixtures: fixtures/rules/<id>/fires must produce exactly the listed
 * findings (line, column, a fragment of the message and of the wire), fixtures/rules/<id>/clean none.
 */
import { findingsOf, fixture, corpusOrSkip } from './helpers/rule-tester';

interface Expected {
  line: number;
  column?: number;
  message: RegExp;
  wire?: RegExp;
}

const fires: Record<string, Expected[]> = {
  'freeswitch-profile-context-missing': [
    { line: 10, column: 35, message: /sofia profile external .*"pubilc", which does not exist/, wire: /→ 404/ },
    { line: 30, column: 52, message: /directory user 102@example.com .*"internal"/ },
  ],
  'freeswitch-transfer-target-missing': [
    { line: 47, column: 11, message: /context "defualt", which does not exist/, wire: /404/ },
    { line: 52, column: 11, message: /transfer to 2999 in context "default": no extension/ },
  ],
  'freeswitch-bridge-user-missing': [
    { line: 47, column: 11, message: /user\/199@example.com: .*no user with id or number-alias "199"/, wire: /SUBSCRIBER_ABSENT → 480/ },
    { line: 52, column: 11, message: /"branch.example.com" is not a directory domain/, wire: /480/ },
  ],
  'freeswitch-directory-user-unreachable': [{ line: 32, column: 9, message: /user 150@example.com is not reached by dialing 150/, wire: /INVITE for 150 in context default → 404, even while 150 is registered/ }],
  'freeswitch-number-alias-unrouted': [{ line: 29, column: 9, message: /number-alias 200 of 100@example.com/, wire: /INVITE for 200 in context public → 404/ }],
  'freeswitch-did-format-mismatch': [
    {
      line: 48,
      column: 47,
      message: /matches DID 2025550100 as 2025550100 but not as \+12025550100, 12025550100/,
      wire: /INVITE for \+12025550100 on profile external → 404; INVITE for 12025550100 on profile external → 404/,
    },
  ],
  'freeswitch-profile-domain-not-in-directory': [{ line: 12, column: 49, message: /force-register-domain "pbx.example.com" is not a directory domain/, wire: /403/ }],
  'freeswitch-invalid-regex': [
    { line: 41, column: 69, message: /\/\^\(10\[0-9\]\$\/: missing closing parenthesis at offset 10/ },
    { line: 47, column: 32, message: /\/\*97\/: quantifier does not follow a repeatable item/ },
  ],
};

describe('FreeSWITCH rules', () => {
  for (const [id, expected] of Object.entries(fires)) {
    test(`${id} fires`, () => {
      const found = findingsOf(id, fixture('rules', id, 'fires'));
      expect(found).toHaveLength(expected.length);
      expected.forEach((e, i) => {
        const f = found[i];
        expect(f.file).toBe('freeswitch.xml');
        expect(f.line).toBe(e.line);
        if (e.column !== undefined) expect(f.column).toBe(e.column);
        expect(f.message).toMatch(e.message);
        if (e.wire) expect(f.wire).toMatch(e.wire);
        expect(f.fix).toBeTruthy();
      });
    });
    test(`${id} stays quiet on its clean fixture`, () => {
      expect(findingsOf(id, fixture('rules', id, 'clean'))).toEqual([]);
    });
  }

  test('the stock vanilla configuration: no errors; only the users nothing dials are reported', () => {
    const dir = corpusOrSkip('freeswitch/conf/vanilla');
    if (!dir) return;
    for (const id of Object.keys(fires)) {
      const found = findingsOf(id, dir, { platform: 'freeswitch' });
      if (id === 'freeswitch-directory-user-unreachable') expect(found.map((f) => f.file).sort()).toEqual(['directory/default/brian.xml', 'directory/default/default.xml', 'directory/default/example.com.xml', 'directory/default/skinny-example.xml']);
      else expect(found).toEqual([]);
    }
  });
});
