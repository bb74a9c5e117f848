/**
 * An INVITE to a profile with auth-calls=true, as sofia.c sofia_handle_sip_i_invite and
 * sofia_reg.c sofia_reg_handle_register_token answer it: without credentials it is challenged
 * (407 Proxy Authentication Required, REG_INVITE) whoever the From user is — the directory is only
 * read once a caller answers with an Authorization header (sofia_reg_parse_auth: an unknown user
 * → AUTH_FORBIDDEN → 403). In pbxlint a From user on such a profile is a caller that answers the
 * challenge as that user; no From user is one that does not. Configuration written here.
 */
import * as fs from 'fs';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { FreeswitchModel } from '../src/model/freeswitch';
import type { RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';

let dir: string;
let model: FreeswitchModel;
beforeAll(() => {
  dir = writeTree({
    'freeswitch.xml': `<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="sofia.conf"><profiles>
      <profile name="edge"><settings>
        <param name="context" value="edge"/>
        <param name="auth-calls" value="true"/>
        <param name="force-register-domain" value="pbx.example"/>
      </settings></profile>
    </profiles></configuration>
  </section>
  <section name="directory"><domain name="pbx.example"><users><user id="1000"><params><param name="password" value="x"/></params></user></users></domain></section>
  <section name="dialplan">
    <context name="edge"><extension name="any"><condition field="destination_number" expression="^\\d+$"><action application="respond" data="486"/></condition></extension></context>
  </section>
</document>
`,
  });
  model = loadFreeswitch(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const route = (extra: Partial<RouteRequest>) => freeswitchResolver.route(model, { user: '1218', method: 'INVITE', profile: 'edge', sourceIp: '127.0.0.1', ...extra });

test('no credentials: 407, for a known and an unknown caller alike (the caller ID does not authenticate)', () => {
  expect(route({ callerId: 'stranger' })).toMatchObject({ verdict: 'rejected', status: 407 });
  expect(route({ callerId: '1000' })).toMatchObject({ verdict: 'rejected', status: 407 });
});

test('answering the challenge: an unknown user is forbidden (403), a directory user reaches the dialplan', () => {
  expect(route({ fromUser: 'stranger', callerId: 'stranger' })).toMatchObject({ verdict: 'rejected', status: 403 });
  expect(route({ fromUser: '1000', callerId: '1000' })).toMatchObject({ verdict: 'rejected', status: 486 });
});
