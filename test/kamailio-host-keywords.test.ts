/**
 * Host names whose labels Kamailio's lexer reads as keywords (`alias=route.example.com`) stop
 * Kamailio at start-up; pbxlint reports them as parse errors. Checked against `kamailio -c` when
 * Kamailio is installed (the note says when it is not).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadKamailio } from '../src/parsers/kamailio';
import { keywordLabel } from '../src/parsers/kamailio/host-keywords';
import { kamailioBinary, kamailioCheck } from './kamailio-oracle/kamailio';

const VALUES = ['route.example.test', 'pbx-tls.example.test:5061', 'user.example.test', 'pbx.yes.example.test', 'yes.example.test', 'proxy.example.test', '"route.example.test"', 'udp:route.example.test:5060', 'routex.example.test', 'Route.example.test', 'sip.domain.test', '10.0.0.1:5060'];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-hostkw-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function pbxlintRefuses(value: string, param = 'alias'): boolean {
  const f = path.join(dir, 'kamailio.cfg');
  fs.writeFileSync(f, `listen=udp:127.0.0.1:5060\n${param}=${value}\nrequest_route { exit; }\n`);
  return loadKamailio(f).issues.some((i) => i.kind === 'parse-error');
}

describe('host labels that are cfg keywords', () => {
  it('finds the label: any keyword first; after "." or "-" all but the boolean and address-family words', () => {
    expect(keywordLabel('route.example.test')).toBe('route');
    expect(keywordLabel('pbx-tls.example.test:5061')).toBe('tls');
    expect(keywordLabel('udp:user.example.test:5060')).toBe('user');
    expect(keywordLabel('pbx.yes.test')).toBeNull();
    expect(keywordLabel('yes.test')).toBe('yes');
    expect(keywordLabel('"route.example.test"')).toBeNull();
    expect(keywordLabel('Route.example.test')).toBeNull();
    expect(keywordLabel('10.0.0.1:5060')).toBeNull();
  });

  it('listen= is checked too, its advertise address included', () => {
    expect(pbxlintRefuses('udp:127.0.0.1:5060 advertise route.example.test:5060', 'listen')).toBe(true);
    expect(pbxlintRefuses('udp:127.0.0.1:5060 advertise 192.0.2.1:5060', 'listen')).toBe(false);
  });

  const bin = kamailioBinary();
  (bin ? it : it.skip)('agrees with kamailio -c on every value', () => {
    for (const v of VALUES) {
      const f = path.join(dir, 'kamailio.cfg');
      fs.writeFileSync(f, `listen=udp:127.0.0.1:5060\nalias=${v}\nrequest_route { exit; }\n`);
      const k = kamailioCheck(bin!, f, dir);
      expect([v, pbxlintRefuses(v)]).toEqual([v, !k.ok]);
    }
  });
  if (!bin) console.log('note: kamailio is not installed; the kamailio -c comparison of host keywords is skipped');
});
