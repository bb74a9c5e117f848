/**
 * Asterisk's Request-URI host map (src/coverage/domains.ts): pjsip domain aliases and transport
 * domains are local and chan_pjsip routes the rest alike; chan_sip with a domain list and
 * allowexternaldomains=no refuses other hosts with 403, as route says.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asteriskDomains } from '../src/coverage/domains';
import { loadRoot, routeWith } from '../src/engines';
import type { AsteriskModel } from '../src/model/asterisk';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function load(files: Record<string, string>): AsteriskModel {
  const dir = writeTree({ 'extensions.conf': '[from-x]\nexten => _X.,1,Answer()\n', ...files });
  dirs.push(dir);
  return loadRoot({ platform: 'asterisk', path: dir }, {}) as AsteriskModel;
}

describe('Asterisk domain map', () => {
  it('pjsip: domain aliases and transport domains are local; other hosts are routed alike', () => {
    const m = load({ 'pjsip.conf': '[udp]\ntype=transport\nprotocol=udp\nbind=0.0.0.0\ndomain=pbx.example.com\n\n[alias1]\ntype=domain_alias\ndomain=pbx.example.com\n\n[a]\ntype=endpoint\ncontext=from-x\n' });
    const d = asteriskDomains(m);
    expect(d.map((x) => [x.example, x.local, x.verdict])).toEqual([
      ['alias1', true, 'depends'],
      ['pbx.example.com', true, 'depends'],
      ['not-local.invalid', false, 'depends'],
    ]);
    expect(new RegExp(d[1].regex).test('PBX.example.com:5060')).toBe(true);
    expect(new RegExp(d[2].regex).test('pbx.example.com')).toBe(false);
    expect(new RegExp(d[2].regex).test('other.example.com')).toBe(true);
  });

  it('chan_sip with domain= and allowexternaldomains=no: other hosts get 403, as route answers', () => {
    const m = load({ 'sip.conf': '[general]\ndomain=pbx.example.com\nallowexternaldomains=no\nallowguest=yes\ncontext=from-x\n\n[peer1]\ntype=friend\nhost=dynamic\ncontext=from-x\n' });
    const d = asteriskDomains(m);
    const other = d.find((x) => !x.local)!;
    expect([other.verdict, other.status]).toEqual(['rejected', 403]);
    expect(path.basename(other.via?.file ?? '')).toBe('sip.conf');
    const a = routeWith(m, { user: '100', domain: other.example, method: 'INVITE', endpoint: 'peer1' });
    expect([a.verdict, a.status]).toEqual(['rejected', 403]);
    const local = routeWith(m, { user: '100', domain: 'pbx.example.com', method: 'INVITE', endpoint: 'peer1' });
    expect(local.verdict).not.toBe('rejected');
  });
});
