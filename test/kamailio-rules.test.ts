/**
 * Kamailio rules on their fixtures: fixtures/rules/<id>/fires must produce a finding of the rule at
 * the expected line, fixtures/rules/<id>/clean none.
 */
import { findingsOf, fixture } from './helpers/rule-tester';

const EXPECTED: Record<string, number[]> = {
  'kamailio-unregistered-404': [25],
  'kamailio-open-relay': [25],
  'kamailio-domain-not-local': [19],
  'kamailio-undefined-route': [19, 20],
  'kamailio-unused-route': [22],
  'kamailio-unreachable-statement': [17],
  'kamailio-e164-rejected': [19],
  'kamailio-function-module-not-loaded': [8, 12],
  'kamailio-modparam-module-not-loaded': [4, 7],
  'kamailio-alias-quoted-port': [5],
};

describe.each(Object.keys(EXPECTED))('%s', (id) => {
  it('fires on its fixture, at the line that needs the change', () => {
    const f = findingsOf(id, fixture('rules', id, 'fires'));
    expect(f.map((x) => x.line)).toEqual(EXPECTED[id]);
    for (const x of f) {
      expect(x.file).toBe('kamailio.cfg');
      expect(x.fix).toBeTruthy();
      expect(x.message.length).toBeGreaterThan(20);
    }
  });

  it('does not fire on the clean fixture', () => {
    expect(findingsOf(id, fixture('rules', id, 'clean'))).toEqual([]);
  });
});

test('kamailio-domain-not-local also reads switch ($rd) cases and a #!define compared with $(rd) the other way round', () => {
  const f = findingsOf('kamailio-domain-not-local', fixture('rules', 'kamailio-domain-not-local', 'fires-switch'));
  expect(f.map((x) => [x.line, x.column])).toEqual([[19, 8], [24, 6]]);
  expect(f.map((x) => x.wire)).toEqual(['INVITE sip:1001@sales.example.test → 403', 'INVITE sip:1001@support.example.test → 403']);
});

describe('the fixtures used by the oracle', () => {
  it('the office config has no findings; strict-number shows the E.164 and 404 problems', () => {
    expect(findingsOf('kamailio-e164-rejected', fixture('kamailio', 'office'))).toEqual([]);
    expect(findingsOf('kamailio-e164-rejected', fixture('kamailio', 'strict-number')).map((f) => f.line)).toEqual([42]);
    expect(findingsOf('kamailio-unregistered-404', fixture('kamailio', 'strict-number')).map((f) => f.line)).toEqual([60]);
  });

  it('the multi-domain config relays nothing for foreign domains and has its domains as aliases', () => {
    expect(findingsOf('kamailio-open-relay', fixture('kamailio', 'multi-domain'))).toEqual([]);
    expect(findingsOf('kamailio-domain-not-local', fixture('kamailio', 'multi-domain'))).toEqual([]);
  });

  it('wire and fix say what happens and what to change', () => {
    const [f] = findingsOf('kamailio-unregistered-404', fixture('rules', 'kamailio-unregistered-404', 'fires'));
    expect(f.wire).toMatch(/INVITE sip:1001@pbx\.example\.test when 1001 is not registered → 404/);
    expect(f.fix).toMatch(/480/);
  });
});
