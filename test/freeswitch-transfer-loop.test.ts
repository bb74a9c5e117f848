/**
 * Transfer loops: switch_ivr.c switch_ivr_session_transfer takes max_session_transfers (else
 * max_forwards, which sofia.c copies from the INVITE's Max-Forwards, 70), subtracts one per
 * transfer, and at ≤ 0 hangs the channel up with EXCHANGE_ROUTING_ERROR — mod_sofia's
 * hangup_cause_to_sip answers 483 Too Many Hops, not 404. Dialplans written here.
 */
import * as fs from 'fs';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { RouteAnswer, RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';

const dialplan = (contexts: string) => `<document type="freeswitch/xml"><section name="dialplan">${contexts}</section></document>`;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function route(contexts: string, user: string, extra: Partial<RouteRequest> = {}): RouteAnswer {
  const dir = writeTree({ 'freeswitch.xml': dialplan(contexts) });
  dirs.push(dir);
  return freeswitchResolver.route(loadFreeswitch(dir), { user, method: 'INVITE', context: 'a', ...extra });
}
const transfers = (a: RouteAnswer) => a.steps.filter((s) => s.kind === 'transfer').length;
const lastNamed = (a: RouteAnswer) => [...a.steps].reverse().find((s) => s.extension !== undefined);

describe('transfer loops end in 483 (EXCHANGE_ROUTING_ERROR)', () => {
  test('an extension transferring to itself: 69 transfers happen, the 70th finds max_forwards used up', () => {
    const a = route(`<context name="a"><extension name="self"><condition field="destination_number" expression="^5$"><action application="transfer" data="5"/></condition></extension></context>`, '5');
    expect(a).toMatchObject({ verdict: 'rejected', status: 483 });
    expect(a.reason).toMatch(/EXCHANGE_ROUTING_ERROR/);
    expect(transfers(a)).toBe(70); // 69 transfer steps + the refused one
    expect(lastNamed(a)).toMatchObject({ context: 'a', extension: 'self' });
  });

  test('two contexts ping-ponging, with a rewrite on the way: the extension that queued the refused transfer is named', () => {
    const a = route(
      `<context name="a"><extension name="to_b"><condition field="destination_number" expression="^(\\d+)$"><action application="transfer" data="9$1 XML b"/></condition></extension></context>
       <context name="b"><extension name="to_a"><condition field="destination_number" expression="^9(\\d+)$"><action application="transfer" data="$1 XML a"/></condition></extension></context>`,
      '12',
    );
    expect(a).toMatchObject({ verdict: 'rejected', status: 483 });
    // 69 transfers succeed (a→b is the 1st, 3rd, …), so the 70th — refused — is queued in b.
    expect(lastNamed(a)).toMatchObject({ context: 'b', extension: 'to_a' });
  });

  test('max_session_transfers takes precedence over max_forwards; a call answered first is already 200', () => {
    const a = route(`<context name="a"><extension name="self"><condition field="destination_number" expression="^5$"><action application="set" data="max_session_transfers=3"/><action application="transfer" data="6"/></condition></extension>
      <extension name="six"><condition field="destination_number" expression="^6$"><action application="transfer" data="6"/></condition></extension></context>`, '5');
    expect(a).toMatchObject({ verdict: 'rejected', status: 483 });
    expect(transfers(a)).toBe(3); // 3 → 2 → 1 → refused
    const answered = route(`<context name="a"><extension name="self"><condition field="destination_number" expression="^5$"><action application="answer"/><action application="transfer" data="5"/></condition></extension></context>`, '5');
    expect(answered.verdict).toBe('routed');
  });

  test('a chain that ends before the budget is not a loop', () => {
    const a = route(`<context name="a"><extension name="hop"><condition field="destination_number" expression="^(\\d)(\\d+)$"><action application="transfer" data="$2"/></condition></extension>
      <extension name="end"><condition field="destination_number" expression="^\\d$"><action application="respond" data="486"/></condition></extension></context>`, '123456789');
    expect(a).toMatchObject({ verdict: 'rejected', status: 486 });
    expect(transfers(a)).toBe(8);
  });
});

describe('transfer arguments (mod_dptools transfer_function, switch_ivr_session_transfer)', () => {
  const ctxs = (actions: string) => `<context name="a"><extension name="x"><condition field="destination_number" expression="^5$">${actions}<action application="respond" data="486 Went On"/></condition></extension>
    <extension name="seven"><condition field="destination_number" expression="^7$"><action application="respond" data="503 In A"/></condition></extension></context>
    <context name="b"><extension name="seven"><condition field="destination_number" expression="^7$"><action application="respond" data="603 In B"/></condition></extension></context>`;

  test('no data, or -bleg with no bridged partner: nothing happens, the next application runs', () => {
    expect(route(ctxs(`<action application="transfer" data=""/>`), '5')).toMatchObject({ status: 486 });
    expect(route(ctxs(`<action application="transfer" data="-bleg 7 XML b"/>`), '5')).toMatchObject({ status: 486 });
    expect(route(ctxs(`<action application="transfer" data="-both 7 XML b"/>`), '5')).toMatchObject({ status: 603 });
  });

  test('a missing context is force_transfer_context when set, else the current one', () => {
    expect(route(ctxs(`<action application="transfer" data="7"/>`), '5')).toMatchObject({ status: 503 });
    expect(route(ctxs(`<action application="set" data="force_transfer_context=b"/><action application="transfer" data="7"/>`), '5')).toMatchObject({ status: 603 });
    expect(route(ctxs(`<action application="set" data="force_transfer_context=b"/><action application="transfer" data="7 XML a"/>`), '5')).toMatchObject({ status: 503 });
  });
});
