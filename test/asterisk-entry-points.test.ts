/**
 * An Asterisk model's entry points (made when first read, src/parsers/asterisk/index.ts): one per
 * PJSIP endpoint and SIP peer, trunks marked, in model order; the same list on every read; a
 * list assigned in their place is kept.
 */
import { loadAsterisk } from '../src/parsers/asterisk';
import { writeTree } from './helpers/tmp-config';

test('entry points of PJSIP endpoints and SIP peers, read and assigned', () => {
  const dir = writeTree({
    'pjsip.conf': '[phone]\ntype=endpoint\ncontext=internal\n[trunk]\ntype=endpoint\ncontext=from-trunk\n[trunk]\ntype=identify\nendpoint=trunk\nmatch=192.0.2.1\n',
    'sip.conf': '[general]\nallowguest=yes\ncontext=guests\n[carrier]\ntype=peer\nhost=192.0.2.9\ncontext=from-carrier\n[desk]\ntype=friend\nhost=dynamic\ncontext=internal\n',
    'extensions.conf': '[internal]\nexten => 1,1,NoOp()\n',
  });
  const model = loadAsterisk(dir);
  const entries = model.entryPoints;
  expect(entries.map((e) => [e.id, e.context, e.trunk])).toEqual([
    ['pjsip:phone', 'internal', false],
    ['pjsip:trunk', 'from-trunk', true],
    ['sip:carrier', 'from-carrier', true],
    ['sip:desk', 'internal', false],
    ['sip:guest', 'guests', false],
  ]);
  expect(model.entryPoints).toBe(entries);
  expect(Object.keys(model)).toContain('entryPoints');
  model.entryPoints = [];
  expect(model.entryPoints).toEqual([]);
});
