/**
 * `pbxlint route` on FreeSWITCH: answers checked against what FreeSWITCH does (semantics doc §3–§5,
 * mod_dialplan_xml.c, mod_dptools.c, mod_sofia.c hangup_cause_to_sip), on the stock vanilla
 * configuration and on the project's own basic fixture.
 */
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import { RouteUsageError, type RouteAnswer, type RouteRequest } from '../src/resolvers/types';
import type { FreeswitchModel } from '../src/model/freeswitch';
import { corpusOrSkip, fixture } from './helpers/rule-tester';
import { main } from '../src/cli';

const req = (user: string, extra: Partial<RouteRequest> = {}): RouteRequest => ({ user, method: 'INVITE', ...extra });
const ends = (a: RouteAnswer) => a.outcomes.map((o) => [o.verdict, o.status, o.target?.name ?? null]);

describe('vanilla configuration', () => {
  const dir = corpusOrSkip('freeswitch/conf/vanilla');
  let m: FreeswitchModel;
  const route = (user: string, extra: Partial<RouteRequest> = {}) => freeswitchResolver.route(m, req(user, extra));
  beforeAll(() => {
    if (dir) m = loadFreeswitch(dir, { local_ip_v4: '10.0.0.5' });
  });
  const t = dir ? test : test.skip;

  t('1000–1019 from default: bridged to the registered user, else answered into voicemail (continue_on_fail) — never 4xx', () => {
    for (let n = 1000; n <= 1019; n++) {
      const u = String(n);
      const unknown = route(u, { context: 'default' });
      expect(unknown.verdict).toBe('depends');
      expect(ends(unknown)).toEqual([
        ['routed', null, `user/${u}@10.0.0.5`],
        ['routed', null, 'voicemail'],
      ]);
      expect(route(u, { context: 'default', registered: [`${u}@10.0.0.5`] })).toMatchObject({ verdict: 'routed', target: { kind: 'user', name: `user/${u}@10.0.0.5` } });
      const unreg = route(u, { context: 'default', registered: [] });
      expect(unreg).toMatchObject({ verdict: 'routed', target: { kind: 'application', name: 'voicemail' } });
      expect(unreg.steps.map((s) => s.text).join('\n')).toMatch(/USER_NOT_REGISTERED \(480\); continue_on_fail/);
    }
  });

  t('an unknown 4-digit extension from default goes to the enum dialplan (mod_enum is loaded): 480 unless ENUM finds a record', () => {
    for (const n of ['1020', '7777']) {
      const a = route(n, { context: 'default', registered: [] });
      expect(a.verdict).toBe('depends');
      // mod_enum.c: enum_lookup always returns SUCCESS, so no record (or no DNS answer) is an empty extension → NORMAL_CLEARING.
      expect(ends(a)).toEqual([
        ['routed', null, `ENUM route for ${n}`],
        ['rejected', 480, null],
      ]);
      expect(a.steps.some((s) => s.kind === 'transfer' && /enum dialplan/.test(s.text) && s.line === 807)).toBe(true);
    }
  });

  t('DIDs into public (external profile): 5551212 → 1000 in default; 1000 → default; any other DID → 480, not 404', () => {
    const did = route('5551212', { profile: 'external', registered: ['1000@10.0.0.5'] });
    expect(did).toMatchObject({ verdict: 'routed', target: { name: 'user/1000@10.0.0.5' } });
    expect(did.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['identify', 'transfer', 'bridge']));
    expect(route('1001', { profile: 'external', registered: [] })).toMatchObject({ verdict: 'routed', target: { name: 'voicemail' } });
    const other = route('12025551234', { profile: 'external' });
    expect(other).toMatchObject({ verdict: 'rejected', status: 480 });
    expect(other.reason).toMatch(/NORMAL_CLEARING/);
  });

  t('internal profile: unauthenticated INVITE → 407; unknown user → 403; a directory user enters user_context default', () => {
    // apply-inbound-acl=domains: only brian's cidr (192.0.2.0/24) passes without a challenge
    expect(route('1000', { profile: 'internal', sourceIp: '203.0.113.9' })).toMatchObject({ verdict: 'rejected', status: 407 });
    const anyIp = route('1000', { profile: 'internal', registered: [] });
    expect(ends(anyIp)).toEqual([
      ['routed', null, 'voicemail'],
      ['rejected', 407, null],
    ]);
    const brian = route('1000', { profile: 'internal', sourceIp: '192.0.2.7', registered: [] });
    expect(brian).toMatchObject({ verdict: 'routed', target: { name: 'voicemail' } });
    expect(brian.steps[1].text).toMatch(/inbound ACL "domains" allows 192.0.2.7 as brian@10.0.0.5/);
    expect(route('1000', { profile: 'internal', fromUser: '9999', sourceIp: '203.0.113.9' })).toMatchObject({ verdict: 'rejected', status: 403 });
    const a = route('1001', { profile: 'internal', fromUser: '1000', sourceIp: '203.0.113.9', registered: ['1001@10.0.0.5'] });
    expect(a).toMatchObject({ verdict: 'routed', target: { name: 'user/1001@10.0.0.5' } });
    expect(a.steps.find((s) => s.kind === 'identify' && /user_context "default"/.test(s.text))).toBeDefined();
  });

  t('feature codes of the stock default context', () => {
    const target = (n: string) => route(n, { context: 'default', registered: [] });
    expect(target('*98')).toMatchObject({ verdict: 'routed', target: { name: 'voicemail' } });
    expect(target('4000')).toMatchObject({ verdict: 'routed', target: { name: 'voicemail' } });
    expect(target('*8')).toMatchObject({ verdict: 'routed', target: { name: 'intercept' } });
    expect(target('886')).toMatchObject({ verdict: 'routed', target: { name: 'intercept' } });
    expect(target('**1001')).toMatchObject({ verdict: 'routed', target: { name: 'intercept' } });
    expect(target('9196')).toMatchObject({ verdict: 'routed', target: { name: 'echo' } });
    expect(target('9195')).toMatchObject({ verdict: 'routed', target: { name: 'delay_echo' } });
    expect(target('5000')).toMatchObject({ verdict: 'routed', target: { name: 'ivr' } });
    expect(target('3000')).toMatchObject({ verdict: 'routed', target: { name: 'conference' } });
    expect(target('5900')).toMatchObject({ verdict: 'routed', target: { name: 'fifo' } });
    expect(target('6001')).toMatchObject({ verdict: 'routed', target: { name: 'valet_park' } });
    expect(target('0')).toMatchObject({ verdict: 'routed', target: { name: 'voicemail' } }); // operator → transfer 1000
    // group_call of group "sales" (1000–1004), nobody registered: USER_NOT_REGISTERED → 480
    expect(target('2000')).toMatchObject({ verdict: 'rejected', status: 480 });
    // intercom to an unregistered 1001: no continue_on_fail → 480
    expect(target('81001')).toMatchObject({ verdict: 'rejected', status: 480 });
    // redial reads a hash at run time: reported, not guessed
    expect(target('870').notModelled.join()).toMatch(/transfer to \$\{hash/);
  });

  t('a --time decides time conditions; without it, outcomes that do not depend on time carry no time assumption', () => {
    const a = route('1000', { context: 'default', registered: [] });
    expect(a.outcomes[0].conditions).toEqual([]);
    const b = route('1000', { context: 'default', registered: [], time: new Date('2026-03-03T10:00:00Z') });
    expect(b.steps.find((s) => s.extension === 'tod_example')?.text).toMatch(/matched/);
  });
});

describe('basic fixture', () => {
  const m = loadFreeswitch(fixture('freeswitch', 'basic'));
  const route = (user: string, extra: Partial<RouteRequest> = {}) => freeswitchResolver.route(m, req(user, extra));

  test('captures feed actions; a gateway that exists routes; respond sends its status', () => {
    expect(route('912025551234', { context: 'default' })).toMatchObject({ verdict: 'routed', target: { kind: 'gateway', name: 'sofia/gateway/carrier/12025551234' } });
    expect(route('555', { context: 'default' })).toMatchObject({ verdict: 'rejected', status: 486 });
  });

  test('no extension collects an action → NO_ROUTE_DESTINATION → 404; a helper action alone → 480', () => {
    const a = route('2025550199', { profile: 'external' });
    expect(a).toMatchObject({ verdict: 'rejected', status: 404 });
    expect(route('777', { context: 'default' })).toMatchObject({ verdict: 'rejected', status: 480 });
  });

  test('a context that does not exist → 404', () => {
    expect(route('100', { context: 'nowhere' })).toMatchObject({ verdict: 'rejected', status: 404 });
  });

  test('a Request-URI without user: destination_number is the To user, then the From user, else "service" (sofia.c sofia_handle_sip_i_invite); sip:@host is the empty user', () => {
    const reason = (a: RouteAnswer) => a.outcomes[0].reason;
    expect(reason(route('', { profile: 'external', domain: 'pbx.example.com' }))).toMatch(/collected an action for service:/);
    expect(reason(route('', { profile: 'external', domain: 'pbx.example.com', fromUser: '5551234' }))).toMatch(/collected an action for 5551234:/);
    expect(reason(route('', { profile: 'external', domain: 'pbx.example.com', fromUser: '5551234', to: 'sip:1002@pbx.example.com' }))).toMatch(/collected an action for 1002:/);
    expect(route('', { profile: 'external', domain: 'pbx.example.com' }).request).toMatch(/^INVITE sip:pbx\.example\.com on/);
    const empty = route('', { profile: 'external', domain: 'pbx.example.com', fromUser: '5551234', ruriMalformed: 'the user part is empty' });
    expect([empty.request, reason(empty)]).toEqual([expect.stringMatching(/^INVITE sip:@pbx\.example\.com from/), expect.stringMatching(/collected an action for :/)]);
  });

  test('unknown profile is a usage error; several profiles need --profile or --context', () => {
    expect(() => route('1', { profile: 'nope' })).toThrow(RouteUsageError);
    expect(() => route('1')).toThrow(RouteUsageError);
  });

  test('the CLI prints JSON with the shared fields and exit codes', async () => {
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => undefined, isTTY: false, cwd: process.cwd(), env: {} };
    const code = await main(['route', '555', fixture('freeswitch', 'basic'), '--context', 'default', '--format', 'json'], io);
    expect(code).toBe(1);
    const j = JSON.parse(out);
    expect(j).toMatchObject({ platform: 'freeswitch', verdict: 'rejected', status: 486 });
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['verdict', 'status', 'target', 'steps', 'outcomes', 'notModelled', 'request']));
    out = '';
    expect(await main(['route', '100', fixture('freeswitch', 'basic'), '--context', 'default', '--format', 'json'], io)).toBe(3);
    out = '';
    expect(await main(['route', '100', fixture('freeswitch', 'basic'), '--context', 'default', '--registered', '100@example.com'], io)).toBe(0);
  });
});
