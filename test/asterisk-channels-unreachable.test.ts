/**
 * pjsipEndpointUnreachable (src/resolvers/asterisk/channels.ts), which the Dial check of lint
 * asks: the unreachable answer pjsipEndpointReachability gives (the same object, kept as it keeps
 * it), and null for every endpoint a call can reach, whichever of the two is asked first.
 */
import { loadAsterisk } from '../src/parsers/asterisk';
import { pjsipEndpointReachability, pjsipEndpointUnreachable } from '../src/resolvers/asterisk/channels';
import { writeTree } from './helpers/tmp-config';

const pjsip = `
[noaors]
type=endpoint
[missingaor]
type=endpoint
aors=nosuch
[zero]
type=endpoint
aors=zero
[zero]
type=aor
[static]
type=endpoint
aors=zero,static
[static]
type=aor
contact=sip:static@192.0.2.1
[reg]
type=endpoint
aors=zero,reg
[reg]
type=aor
max_contacts=1
`;
const names = ['noaors', 'missingaor', 'zero', 'static', 'reg', 'absent'];

test('the unreachable answers are pjsipEndpointReachability\'s, null for the others, in either order', () => {
  const dir = writeTree({ 'pjsip.conf': pjsip, 'extensions.conf': '[default]\nexten => 1,1,Dial(PJSIP/reg)\n' });
  const first = loadAsterisk(dir);
  const unreachableFirst = names.map((n) => pjsipEndpointUnreachable(first, n));
  const thenFull = names.map((n) => pjsipEndpointReachability(first, n));
  const second = loadAsterisk(dir);
  const full = names.map((n) => pjsipEndpointReachability(second, n));
  const thenUnreachable = names.map((n) => pjsipEndpointUnreachable(second, n));
  expect(full.map((r) => r.state)).toEqual(['unreachable', 'unreachable', 'unreachable', 'reachable', 'registration', 'unreachable']);
  expect(thenFull).toEqual(full);
  expect(unreachableFirst).toEqual(full.map((r) => (r.state === 'unreachable' ? r : null)));
  expect(thenUnreachable).toEqual(unreachableFirst);
  // Kept: later answers for the same endpoint are the same object.
  for (let i = 0; i < 3; i++) expect(pjsipEndpointReachability(first, names[i])).toBe(unreachableFirst[i]);
});
