/**
 * `route --method` with any RFC 3261 token, on every engine: each answers an extension method the
 * way the engine does (Kamailio: its script; FreeSWITCH: sofia-sip's 501 before the dialplan;
 * Asterisk (chan_pjsip): 501 from the distributor once the caller is identified and authenticated).
 */
import * as path from 'path';
import { routeCommand } from '../src/route';
import { RouteUsageError, isMethodToken } from '../src/resolvers/types';

const FIXTURES = path.resolve(__dirname, '../fixtures');

describe('method tokens', () => {
  it('accepts RFC 3261 tokens and nothing else', () => {
    for (const m of ['INVITE', 'HELLO', 'XMETHOD', 'x.y-z!%*_+`\'~']) expect(isMethodToken(m)).toBe(true);
    for (const m of ['', 'HEL LO', 'A:B', 'A/B', 'É', 'A"B']) expect(isMethodToken(m)).toBe(false);
    expect(() => routeCommand('1000', [path.join(FIXTURES, 'freeswitch/basic')], { method: 'HEL LO', profile: 'internal' })).toThrow(RouteUsageError);
  });
});

describe('FreeSWITCH: sofia-sip answers a method it does not know with 501 (nta_check.c nta_check_method)', () => {
  const fs = (method: string) => routeCommand('1000', [path.join(FIXTURES, 'freeswitch/basic')], { method, profile: 'internal' }).answer;

  it('HELLO and a lower-case invite (method names are case-sensitive in sofia-sip) get 501 before the dialplan', () => {
    expect(fs('HELLO')).toMatchObject({ verdict: 'rejected', status: 501 });
    expect(fs('invite')).toMatchObject({ verdict: 'rejected', status: 501 });
  });

  it('a standard method is not refused by that check', () => {
    expect(fs('INVITE').status).not.toBe(501);
    expect(fs('MESSAGE').status).not.toBe(501);
  });
});

describe('Asterisk: no res_pjsip module handles an extension method: 501 (pjsip_distributor.c distribute)', () => {
  const ast = (method: string) => routeCommand('1001', [path.join(FIXTURES, 'examples/asterisk-pbx')], { method, endpoint: '1001' }).answer;

  it('HELLO from an identified endpoint gets 501 after its challenge', () => {
    const a = ast('HELLO');
    expect(a).toMatchObject({ verdict: 'rejected', status: 501 });
    expect(a.reason).toContain('challenged (401)');
  });

  it('standard methods other than INVITE, OPTIONS and REGISTER stay "not simulated"', () => {
    expect(ast('MESSAGE')).toMatchObject({ verdict: 'rejected', status: null, notModelled: ['MESSAGE handling'] });
  });
});

describe('chan_pjsip: what pjsip itself decides (sip_msg.c, sip_parser.c, pjsip_distributor.c)', () => {
  const dir = path.join(FIXTURES, 'examples/asterisk-pbx');
  const ast = (target: string, method: string, from: { endpoint?: string; sourceIp?: string } = { endpoint: '1001' }) => routeCommand(target, [dir], { method, ...from }).answer;

  it('a lower-case invite is an INVITE (pjsip_method_init_np: its six methods in any case); a lower-case message is no MESSAGE (501)', () => {
    expect(ast('1001', 'invite')).toEqual({ ...ast('1001', 'INVITE'), request: expect.stringMatching(/^invite /) });
    expect(ast('1001', 'message')).toMatchObject({ verdict: 'rejected', status: 501 });
    expect(ast('1001', 'options')).toMatchObject({ verdict: ast('1001', 'OPTIONS').verdict });
  });

  it('a BYE or CANCEL outside a dialog gets 481 from the distributor, before identification; an ACK gets nothing', () => {
    for (const m of ['BYE', 'bye', 'CANCEL']) {
      expect(ast('1001', m, { sourceIp: '192.0.2.99' })).toMatchObject({ verdict: 'rejected', status: 481 });
      expect(ast('1001', m).reason).toContain('pjsip_distributor.c distributor');
    }
    expect(ast('1001', 'ACK')).toMatchObject({ verdict: 'rejected', status: null, notModelled: [] });
  });

  it('sip:@host does not parse: the packet is dropped without a reply', () => {
    const a = ast('sip:@pbx.example.com', 'INVITE');
    expect(a).toMatchObject({ verdict: 'rejected', status: null, notModelled: [] });
    expect(a.reason).toContain('int_parse_user_pass');
  });
});

describe('chan_sip answers a method by name before it looks for the peer (chan_sip.c find_call, handle_incoming)', () => {
  it('HELLO and a BYE from a source no peer matches: 501 and 481, not 403', () => {
    const dir = path.join(FIXTURES, 'explain/asterisk-chan-sip');
    expect(routeCommand('100', [dir], { method: 'HELLO', sourceIp: '192.0.2.200', fromUser: 'nobody' }).answer).toMatchObject({ verdict: 'rejected', status: 501 });
    expect(routeCommand('100', [dir], { method: 'bye', sourceIp: '192.0.2.200', fromUser: 'nobody' }).answer).toMatchObject({ verdict: 'rejected', status: 481 });
  });
});
