/**
 * mod_dialplan_xml.c parse_exten / dialplan_hunt semantics, one construct per test, on small
 * dialplans written here. Each expectation is what the C code does (comments name the branch).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { RouteRequest } from '../src/resolvers/types';
import { tempDir } from './helpers/tmp-config';

function dialplan(contexts: string): string {
  const dir = tempDir('pbxlint-fsdp-');
  fs.writeFileSync(
    path.join(dir, 'freeswitch.xml'),
    `<document type="freeswitch/xml">
  <section name="directory"><domain name="d.example"><params><param name="dial-string" value="\${sofia_contact(*/\${dialed_user}@\${dialed_domain})}"/></params><users><user id="100"/></users></domain></section>
  <section name="dialplan">
${contexts}
  </section>
</document>
`,
  );
  return dir;
}

const route = (dir: string, user: string, extra: Partial<RouteRequest> = {}) => freeswitchResolver.route(loadFreeswitch(dir), { user, method: 'INVITE', context: 'c', ...extra });

describe('XML dialplan semantics', () => {
  test('actions collect per condition: a later failing condition keeps them (→ 480, not 404); nothing collected → 404', () => {
    const dir = dialplan(`<context name="c">
  <extension name="partial">
    <condition field="destination_number" expression="^5"><action application="set" data="x=1"/></condition>
    <condition field="destination_number" expression="^6"><action application="answer"/></condition>
  </extension>
</context>`);
    expect(route(dir, '555')).toMatchObject({ verdict: 'rejected', status: 480 });
    expect(route(dir, '777')).toMatchObject({ verdict: 'rejected', status: 404 });
  });

  test('anti-actions run when the condition fails', () => {
    const dir = dialplan(`<context name="c">
  <extension name="x">
    <condition field="destination_number" expression="^1\\d\\d$">
      <action application="bridge" data="user/100@d.example"/>
      <anti-action application="respond" data="403 Forbidden"/>
    </condition>
  </extension>
</context>`);
    expect(route(dir, '999')).toMatchObject({ verdict: 'rejected', status: 403 });
    expect(route(dir, '100', { registered: ['100@d.example'] })).toMatchObject({ verdict: 'routed', target: { name: 'user/100@d.example' } });
    // user/… for a user that is not registered: USER_NOT_REGISTERED → 480 (mod_sofia default mapping)
    expect(route(dir, '100', { registered: [] })).toMatchObject({ verdict: 'rejected', status: 480 });
  });

  test('${sofia_contact(user@domain)} in a dial string depends on registration; an unknown user has none', () => {
    const dir = dialplan(`<context name="c">
  <extension name="x"><condition field="destination_number" expression="^(\\d+)$"><action application="bridge" data="\${sofia_contact(internal/$1@d.example)}"/></condition></extension>
</context>`);
    expect(route(dir, '100', { registered: ['100@d.example'] })).toMatchObject({ verdict: 'routed', target: { name: 'user/100@d.example' } });
    expect(route(dir, '100').verdict).toBe('depends');
    expect(route(dir, '101')).toMatchObject({ verdict: 'rejected', status: 480 });
  });

  test('break="never" lets the next condition decide; break="on-true" stops after a pass', () => {
    const dir = dialplan(`<context name="c">
  <extension name="never">
    <condition field="destination_number" expression="^nomatch$" break="never"/>
    <condition field="destination_number" expression="^1$"><action application="respond" data="486"/></condition>
  </extension>
  <extension name="ontrue">
    <condition field="destination_number" expression="^2$" break="on-true"><action application="set" data="a=b"/></condition>
    <condition><action application="respond" data="503"/></condition>
  </extension>
</context>`);
    expect(route(dir, '1')).toMatchObject({ status: 486 });
    expect(route(dir, '2')).toMatchObject({ status: 480 }); // the 503 condition is never reached
  });

  test('nested conditions, and require-nested="false"', () => {
    const dir = dialplan(`<context name="c">
  <extension name="outer" continue="false">
    <condition field="destination_number" expression="^(\\d+)$" require-nested="false">
      <action application="set" data="n=$1"/>
      <condition field="destination_number" expression="^9"><action application="respond" data="404"/></condition>
    </condition>
  </extension>
  <extension name="after">
    <condition field="destination_number" expression="^"><action application="respond" data="503"/></condition>
  </extension>
</context>`);
    expect(route(dir, '91')).toMatchObject({ status: 404 });
    // the nested condition fails, but require-nested="false" makes "outer" match: the hunt stops there → 480
    expect(route(dir, '81')).toMatchObject({ status: 480 });
  });

  test('continue="true" keeps hunting; the first extension that matches without it stops the hunt', () => {
    const dir = dialplan(`<context name="c">
  <extension name="a" continue="true"><condition field="destination_number" expression="^7"><action application="set" data="a=1"/></condition></extension>
  <extension name="b"><condition field="destination_number" expression="^7"><action application="respond" data="486"/></condition></extension>
  <extension name="c"><condition field="destination_number" expression="^7"><action application="respond" data="503"/></condition></extension>
</context>`);
    expect(route(dir, '77')).toMatchObject({ status: 486 });
  });

  test('regex="any|all|xor", inline set seen by later conditions, /re/i, caller fields', () => {
    const dir = dialplan(`<context name="c">
  <extension name="inline" continue="true"><condition><action application="set" data="tier=gold" inline="true"/></condition></extension>
  <extension name="any"><condition regex="any">
    <regex field="destination_number" expression="^1$"/><regex field="destination_number" expression="^2$"/>
    <action application="respond" data="486"/></condition></extension>
  <extension name="all"><condition regex="all">
    <regex field="destination_number" expression="^3"/><regex field="\${tier}" expression="^GOLD$"/>
    <action application="respond" data="503"/></condition></extension>
  <extension name="i"><condition field="\${tier}" expression="/^GOLD$/i"><condition field="caller_id_number" expression="^555$">
    <action application="respond" data="403"/></condition></condition></extension>
</context>`);
    expect(route(dir, '2')).toMatchObject({ status: 486 });
    expect(route(dir, '9', { callerId: '1' })).toMatchObject({ status: 480 }); // "any" with no pass: anti-actions (none); the inline set made a route
    // No caller number given (no --caller-id, no --from-user): the caller_id_number test forks.
    const unknownCaller = route(dir, '9');
    expect(unknownCaller.verdict).toBe('depends');
    expect(unknownCaller.outcomes.map((o) => o.status).sort()).toEqual([403, 480]);
    expect(route(dir, '3', { callerId: '1' })).toMatchObject({ status: 480 }); // "all": ${tier} is "gold", case-sensitive miss; then /i matches, caller 1 ≠ 555
    expect(route(dir, '3', { callerId: '555' })).toMatchObject({ status: 403 });
  });

  test('regex="xor": actions run when exactly one passes, but the extension "matches" only if the last regex passed', () => {
    const dir = dialplan(`<context name="c">
  <extension name="x"><condition regex="xor">
    <regex field="destination_number" expression="^1"/><regex field="destination_number" expression="2$"/>
    <action application="set" data="hit=1"/></condition></extension>
  <extension name="next"><condition><action application="respond" data="486"/></condition></extension>
</context>`);
    // 13: first passes, last fails → the set is collected, yet the hunt goes on to "next" → 486
    expect(route(dir, '13')).toMatchObject({ status: 486 });
    // 12: both pass → xor fails (no anti-actions), but the last regex passed: the hunt stops with nothing collected → 404
    expect(route(dir, '12').status).toBe(404);
  });

  test('time conditions: decided by --time, otherwise both outcomes (only combinations some time satisfies)', () => {
    const dir = dialplan(`<context name="c">
  <extension name="office"><condition wday="2-6" hour="9-17"><action application="respond" data="486"/></condition></extension>
  <extension name="closed"><condition><action application="respond" data="480"/></condition></extension>
</context>`);
    expect(route(dir, '1', { time: new Date('2026-03-04T10:00:00Z') })).toMatchObject({ status: 486 }); // a Wednesday
    expect(route(dir, '1', { time: new Date('2026-03-07T10:00:00Z') })).toMatchObject({ status: 480 }); // a Saturday
    const any = route(dir, '1');
    expect(any.verdict).toBe('depends');
    expect(any.outcomes.map((o) => o.status)).toEqual([486, 480]);
    expect(any.outcomes[0].conditions.join()).toMatch(/time matches wday=2-6 hour=9-17 \(e\.g\./);
  });

  test('a pathological expression in the dialplan does not hang a route; it is reported', () => {
    const dir = dialplan(`<context name="c">
  <extension name="evil"><condition field="destination_number" expression="^(\\d+)+$"><action application="respond" data="486"/></condition></extension>
</context>`);
    const a = route(dir, '1'.repeat(60) + 'x');
    expect(a.verdict).toBe('depends');
    expect(a.notModelled.join()).toMatch(/nested quantifiers/);
    expect(route(dir, '12345')).toMatchObject({ status: 486 });
  });

  test('a missing context falls back to "global"; hangup causes map to mod_sofia statuses; transfer loops end', () => {
    const dir = dialplan(`<context name="global">
  <extension name="busy"><condition field="destination_number" expression="^1$"><action application="hangup" data="USER_BUSY"/></condition></extension>
  <extension name="gw"><condition field="destination_number" expression="^2$"><action application="bridge" data="sofia/gateway/nope/2"/></condition></extension>
  <extension name="answered"><condition field="destination_number" expression="^3$"><action application="answer"/><action application="hangup"/></condition></extension>
  <extension name="loop"><condition field="destination_number" expression="^4$"><action application="transfer" data="4"/></condition></extension>
</context>`);
    expect(route(dir, '1', { context: 'missing' })).toMatchObject({ status: 486 });
    expect(route(dir, '2', { context: 'global' })).toMatchObject({ status: 484 }); // INVALID_GATEWAY
    expect(route(dir, '3', { context: 'global' })).toMatchObject({ verdict: 'routed' });
    const loop = route(dir, '4', { context: 'global' });
    // switch_ivr_session_transfer: max_forwards (70 from the INVITE) used up → EXCHANGE_ROUTING_ERROR → 483.
    expect(loop).toMatchObject({ verdict: 'rejected', status: 483 });
    expect(loop.reason).toMatch(/EXCHANGE_ROUTING_ERROR/);
  });
});

describe('inbound ACLs (sofia.c sofia_handle_sip_i_invite)', () => {
  const dir = tempDir('pbxlint-fsacl-');
  fs.writeFileSync(
    path.join(dir, 'freeswitch.xml'),
    `<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="acl.conf"><network-lists>
      <list name="carriers" default="deny"><node type="allow" cidr="198.51.100.0/24"/><node type="deny" cidr="198.51.100.66/32"/></list>
    </network-lists></configuration>
    <configuration name="sofia.conf"><profiles>
      <profile name="trunk"><settings>
        <param name="context" value="public"/>
        <param name="apply-inbound-acl" value="carriers:from-carrier"/>
      </settings></profile>
    </profiles></configuration>
  </section>
  <section name="dialplan">
    <context name="from-carrier"><extension name="x"><condition><action application="respond" data="486"/></condition></extension></context>
    <context name="public"><extension name="x"><condition><action application="respond" data="503"/></condition></extension></context>
  </section>
</document>
`,
  );
  const m = loadFreeswitch(dir);
  const r = (extra: Partial<RouteRequest>) => freeswitchResolver.route(m, { user: '1', method: 'INVITE', profile: 'trunk', ...extra });

  test('an allowed address enters the ACL pass context; a refused one gets 403 without auth-calls; the most specific node wins', () => {
    expect(r({ sourceIp: '198.51.100.10' })).toMatchObject({ verdict: 'rejected', status: 486 });
    expect(r({ sourceIp: '203.0.113.1' })).toMatchObject({ verdict: 'rejected', status: 403 });
    expect(r({ sourceIp: '198.51.100.66' })).toMatchObject({ verdict: 'rejected', status: 403 });
    expect(r({}).outcomes.map((o) => o.status)).toEqual([486, 403]);
  });
});
