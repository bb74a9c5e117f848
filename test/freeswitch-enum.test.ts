/**
 * mod_enum and dialplan lists, as FreeSWITCH 1.10.12 runs them: enum_lookup returns
 * SWITCH_STATUS_SUCCESS whatever DNS said, so enum_dialplan_hunt always returns an extension (one
 * bridge per supported NAPTR record); with no record — or no DNS answer at all — it is empty, and
 * switch_core_standard_on_execute hangs up with NORMAL_CLEARING (480), not 404.
 * switch_core_standard_on_routing tries a profile's `dialplan` list ("XML,enum") in order, skipping
 * dialplans whose module is not loaded. Configurations written here.
 */
import * as fs from 'fs';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { RouteAnswer } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function route(opts: { modules: string[]; dialplan: string }, user: string): RouteAnswer {
  const dir = writeTree({
    'freeswitch.xml': `<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="modules.conf"><modules>${opts.modules.map((m) => `<load module="${m}"/>`).join('')}</modules></configuration>
    <configuration name="sofia.conf"><profiles><profile name="lab"><settings>
      <param name="context" value="c"/><param name="dialplan" value="${opts.dialplan}"/>
    </settings></profile></profiles></configuration>
  </section>
  <section name="dialplan">
    <context name="c">
      <extension name="local"><condition field="destination_number" expression="^1\\d{3}$"><action application="respond" data="486"/></condition></extension>
      <extension name="to_enum"><condition field="destination_number" expression="^9(\\d+)$"><action application="transfer" data="$1 enum"/></condition></extension>
    </context>
  </section>
</document>
`,
  });
  dirs.push(dir);
  return freeswitchResolver.route(loadFreeswitch(dir), { user, method: 'INVITE', profile: 'lab', sourceIp: '127.0.0.1', callerId: '1000' });
}
const ends = (a: RouteAnswer) => a.outcomes.map((o) => [o.verdict, o.status]);
const ALL = ['mod_sofia', 'mod_dialplan_xml', 'mod_dptools', 'mod_enum'];

test('transfer to the enum dialplan: a record bridges; none (or no DNS answer) is 480 NORMAL_CLEARING', () => {
  const a = route({ modules: ALL, dialplan: 'XML' }, '912025551234');
  expect(ends(a)).toEqual([['routed', null], ['rejected', 480]]);
  expect(a.outcomes[1].reason).toMatch(/NORMAL_CLEARING/);
});

test('without mod_enum the enum dialplan does not exist: No Route (404)', () => {
  expect(route({ modules: ['mod_sofia', 'mod_dialplan_xml', 'mod_dptools'], dialplan: 'XML' }, '912025551234')).toMatchObject({ verdict: 'rejected', status: 404 });
});

test('a dialplan list: XML first; where it returns no extension, enum is tried', () => {
  expect(route({ modules: ALL, dialplan: 'XML,enum' }, '1001')).toMatchObject({ verdict: 'rejected', status: 486 });
  expect(ends(route({ modules: ALL, dialplan: 'XML,enum' }, '5551234'))).toEqual([['routed', null], ['rejected', 480]]);
  expect(route({ modules: ['mod_sofia', 'mod_dialplan_xml'], dialplan: 'XML,enum' }, '5551234')).toMatchObject({ verdict: 'rejected', status: 404 });
});
