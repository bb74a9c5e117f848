/**
 * The common view's endpoints of an Asterisk model are made when first read (fillCommonView), and
 * trunk-number-format asks only for the trunks and the endpoints its option names
 * (asteriskEndpointsWhere): what either gives must be what the eager list gave.
 */
import * as path from 'path';
import { loadAsterisk } from '../src/parsers/asterisk';
import { asteriskEndpointsWhere } from '../src/parsers/asterisk/common-view';
import type { Endpoint } from '../src/model/common';
import { writeTree } from './helpers/tmp-config';

const ROOT = path.resolve(__dirname, '..');

const PJSIP = `[transport-udp]
type=transport
protocol=udp
bind=0.0.0.0

[phone](!)
type=endpoint
context=from-internal
[1001](phone)
aors=1001,1001b
[1001]
type=aor
max_contacts=1
[1002](phone)
aors=missing
[carrier]
type=endpoint
context=from-trunk
aors=carrier
[carrier]
type=aor
contact=sip:203.0.113.1
contact=sip:203.0.113.2
[carrier]
type=identify
endpoint=carrier
match=203.0.113.0/24
[regtrunk]
type=endpoint
aors=regtrunk
[regtrunk]
type=aor
[reg]
type=registration
line=yes
endpoint=regtrunk
server_uri=sip:203.0.113.9
`;
const SIP = `[general]
context=guests
allowguest=yes
[provider]
type=peer
host=198.51.100.7
context=from-provider
[phone]
type=friend
host=dynamic
context=from-internal
[insecure]
type=friend
host=198.51.100.8
insecure=port,invite
`;

/** The list as fillCommonView made it before it was lazy (the common view's contract, spelled out). */
const EXPECTED: Partial<Endpoint>[] = [
  { name: '1001', kind: 'pjsip-endpoint', isTrunk: false, trunkEvidence: undefined, reachability: expect.objectContaining({ staticContacts: [], acceptsRegistration: true }) },
  { name: '1002', kind: 'pjsip-endpoint', isTrunk: false, trunkEvidence: undefined, reachability: expect.objectContaining({ aors: [expect.objectContaining({ name: 'missing', exists: false })], acceptsRegistration: false }) },
  { name: 'carrier', kind: 'pjsip-endpoint', isTrunk: true, trunkEvidence: 'identified by source address (identify "carrier")', reachability: expect.objectContaining({ staticContacts: ['sip:203.0.113.1', 'sip:203.0.113.2'] }) },
  { name: 'regtrunk', kind: 'pjsip-endpoint', isTrunk: true, trunkEvidence: 'outbound registration "reg" with line=yes', context: expect.objectContaining({ name: 'default', defaulted: true }) },
  { name: 'provider', kind: 'sip-peer', isTrunk: true, trunkEvidence: 'host=198.51.100.7', reachability: { aors: [], staticContacts: ['198.51.100.7'], acceptsRegistration: false } },
  { name: 'phone', kind: 'sip-peer', isTrunk: false, trunkEvidence: undefined, reachability: { aors: [], staticContacts: [], acceptsRegistration: true } },
  { name: 'insecure', kind: 'sip-peer', isTrunk: true, trunkEvidence: 'host=198.51.100.8, insecure=' },
];

let dir: string | undefined;
function load() {
  dir ??= writeTree({ 'pjsip.conf': PJSIP, 'sip.conf': SIP, 'extensions.conf': '[from-internal]\nexten => 1001,1,Dial(PJSIP/1001)\n' });
  return loadAsterisk(dir);
}

describe('Asterisk common view: endpoints made when first read', () => {
  test('model.endpoints is the list of every PJSIP endpoint then SIP peer, as before', () => {
    const model = load();
    expect(model.endpoints).toEqual(EXPECTED.map((e) => expect.objectContaining(e)));
    expect(model.endpoints[0].reachability.aors).toEqual([expect.objectContaining({ name: '1001', exists: true }), expect.objectContaining({ name: '1001b', exists: false })]);
    // Read twice: the same list.
    expect(model.endpoints).toBe(model.endpoints);
    expect(JSON.parse(JSON.stringify(model)).endpoints).toHaveLength(EXPECTED.length);
  });

  test('asteriskEndpointsWhere gives what filtering model.endpoints gives, before and after the list is made', () => {
    const wanted = (name: string, isTrunk: boolean) => isTrunk || name === '1002';
    const before = asteriskEndpointsWhere(load(), wanted);
    const model = load();
    const all = model.endpoints;
    expect(before).toEqual(all.filter((e) => wanted(e.name, e.isTrunk)));
    expect(before.map((e) => e.name)).toEqual(['1002', 'carrier', 'regtrunk', 'provider', 'insecure']);
    // Once made, the list's own objects.
    const after = asteriskEndpointsWhere(model, wanted);
    expect(after.every((e) => all.includes(e))).toBe(true);
  });

  test('a list set on the model replaces the made one', () => {
    const model = load();
    const mine: Endpoint[] = [{ name: 'x', kind: 'pjsip-endpoint', location: { file: 'f', line: 1, column: 1 }, isTrunk: true, reachability: { aors: [], staticContacts: [], acceptsRegistration: false } }];
    model.endpoints = mine;
    expect(model.endpoints).toBe(mine);
    expect(asteriskEndpointsWhere(model, (_, trunk) => trunk)).toEqual(mine);
  });

  test('the bundled example: trunks as the eager list had them', () => {
    const model = loadAsterisk(path.join(ROOT, 'fixtures/examples/asterisk-pbx'));
    expect(asteriskEndpointsWhere(model, (_, trunk) => trunk)).toEqual(model.endpoints.filter((e) => e.isTrunk));
    expect(model.endpoints.length).toBe(model.pjsip.endpoints.size + model.sip.peers.size);
  });
});
