/** `pbxlint graph` for Kamailio and FreeSWITCH: routes/contexts drawn, failing paths marked. */
import { loadKamailio } from '../src/parsers/kamailio';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { kamailioGraph } from '../src/graph/kamailio';
import { freeswitchGraph } from '../src/graph/freeswitch';
import { fixture } from './helpers/rule-tester';

test('Kamailio: request_route → route blocks → replies; 4xx replies and undefined routes are marked', () => {
  const g = kamailioGraph(loadKamailio(fixture('rules', 'kamailio-unregistered-404', 'fires', 'kamailio.cfg'), {}));
  expect(g.nodes.find((n) => n.id === 'entry:request')).toBeDefined();
  const notFound = g.nodes.find((n) => n.kind === 'target' && /^404 /.test(n.label));
  expect(notFound?.fails).toBe('404');
  expect(g.edges.some((e) => e.to === notFound!.id && e.fails === '404')).toBe(true);

  const u = kamailioGraph(loadKamailio(fixture('rules', 'kamailio-undefined-route', 'fires', 'kamailio.cfg'), {}));
  expect(u.nodes.some((n) => /route not defined/.test(n.fails ?? ''))).toBe(true);
});

test('FreeSWITCH: profiles → contexts → bridges; a bridge to a missing directory user is marked 480', () => {
  const g = freeswitchGraph(loadFreeswitch(fixture('rules', 'freeswitch-bridge-user-missing', 'fires'), {}));
  const failing = g.edges.filter((e) => e.kind === 'dial' && e.fails);
  expect(failing.length).toBeGreaterThan(0);
  expect(failing.every((e) => e.fails === '480')).toBe(true);
  expect(g.nodes.some((n) => n.kind === 'entry')).toBe(true);
});

test('FreeSWITCH: a profile whose context has no dialplan is marked 404', () => {
  const g = freeswitchGraph(loadFreeswitch(fixture('rules', 'freeswitch-profile-context-missing', 'fires'), {}));
  expect(g.edges.some((e) => e.kind === 'enters' && e.fails === '404')).toBe(true);
});
