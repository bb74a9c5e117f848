/**
 * The oracle scenarios: per configuration, the requests sent to the real Kamailio and to
 * `pbxlint route`, in order (a REGISTER changes what later cases see). `P` is Kamailio's port on
 * 127.0.0.1, `D` the downstream socket's (gateway / phone contact / voicemail).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface OracleCase {
  name: string;
  /** Any RFC 3261 method token (unknown ones like HELLO included). */
  method: string;
  /** Sent as written (escapes, empty users, tel: URIs included). */
  ruri: string;
  /** For REGISTER: the AOR user (To), registered at `sip:<user>@127.0.0.1:D`. */
  aorUser?: string;
  /** The To URI as sent (default: the AOR for REGISTER, else the Request-URI); pbxlint gets it as --to. */
  to?: string;
  /** Compare the reason phrase too (the probes of the corners config put what they saw in it). */
  reason?: boolean;
  fromUser?: string;
  fromDomain?: string;
  userAgent?: string;
}

export interface OracleConfig {
  name: string;
  cfg: string;
  /** Kamailio -A / pbxlint --define; `{P}` and `{D}` are replaced by the ports. */
  defines: string[];
  /** Pass -l udp:127.0.0.1:P to Kamailio and --myself 127.0.0.1:P to pbxlint (cfgs without listen=). */
  listenArg: boolean;
  /** usrloc use_domain: the AOR registered is user@domain. */
  useDomain: boolean;
  /** More Kamailio command-line options. */
  extraArgs?: string[];
  /** Prepares files the config needs once the ports are known; returns more defines. */
  setup?: (P: number, D: number) => { defines: string[]; cleanup: () => void };
  cases: (P: number, D: number) => OracleCase[];
}

const FIXTURES = path.resolve(__dirname, '../../fixtures/kamailio');

export const ORACLE_CONFIGS: OracleConfig[] = [
  {
    name: 'debian-stock',
    cfg: '/etc/kamailio/kamailio.cfg',
    defines: [],
    listenArg: true,
    useDomain: false,
    cases: (P, D) => [
      { name: 'OPTIONS keepalive to the IP', method: 'OPTIONS', ruri: `sip:127.0.0.1:${P}` },
      { name: 'OPTIONS keepalive to localhost (auto alias)', method: 'OPTIONS', ruri: `sip:localhost:${P}` },
      { name: 'INVITE local user, unregistered', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE E.164 number, no PSTN', method: 'INVITE', ruri: `sip:+12025551234@127.0.0.1:${P}` },
      { name: 'INVITE 00-prefixed number', method: 'INVITE', ruri: `sip:0012025551234@127.0.0.1:${P}` },
      { name: 'MESSAGE local user, unregistered', method: 'MESSAGE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE foreign domain', method: 'INVITE', ruri: 'sip:1001@example.com' },
      { name: 'INVITE own IP, other port (foreign)', method: 'INVITE', ruri: `sip:bob@127.0.0.1:${D}` },
      { name: 'INVITE without user', method: 'INVITE', ruri: `sip:127.0.0.1:${P}` },
      { name: 'INVITE from a scanner', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}`, userAgent: 'friendly-scanner' },
      { name: 'REGISTER to a foreign domain', method: 'REGISTER', ruri: 'sip:example.com', aorUser: '1001' },
      { name: 'REGISTER 1001', method: 'REGISTER', ruri: `sip:127.0.0.1:${P}`, aorUser: '1001' },
      { name: 'INVITE 1001, registered', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE 1001 at localhost, registered', method: 'INVITE', ruri: `sip:1001@localhost:${P}` },
      { name: 'OPTIONS to registered 1001', method: 'OPTIONS', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE 1002, unregistered', method: 'INVITE', ruri: `sip:1002@127.0.0.1:${P}` },
      { name: 'HELLO (unknown method) to 1002, unregistered', method: 'HELLO', ruri: `sip:1002@127.0.0.1:${P}` },
      { name: 'XMETHOD (unknown method) to registered 1001', method: 'XMETHOD', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE escaped E.164 user', method: 'INVITE', ruri: `sip:%2B12025551234@127.0.0.1:${P}` },
      { name: 'INVITE empty user', method: 'INVITE', ruri: `sip:@127.0.0.1:${P}` },
      { name: 'INVITE tel: URI', method: 'INVITE', ruri: 'tel:+12025551234' },
      { name: 'OPTIONS empty user (keepalive?)', method: 'OPTIONS', ruri: `sip:@127.0.0.1:${P}` },
      { name: 'REGISTER escaped AOR %2B12025550100', method: 'REGISTER', ruri: `sip:127.0.0.1:${P}`, aorUser: '%2B12025550100' },
      { name: 'INVITE +12025550100, registered escaped', method: 'INVITE', ruri: `sip:+12025550100@127.0.0.1:${P}` },
      { name: 'INVITE %2b12025550100, registered escaped', method: 'INVITE', ruri: `sip:%2b12025550100@127.0.0.1:${P}` },
      { name: 'REGISTER with a To without user', method: 'REGISTER', ruri: `sip:127.0.0.1:${P}`, to: `sip:127.0.0.1:${P}`, fromUser: '1003', fromDomain: `127.0.0.1:${P}` },
    ],
  },
  {
    // Debian's cfg with authentication: auth_db reads the (empty) subscriber table of the db_text
    // schema Debian installs, so every credential check fails, as for a caller without a password.
    name: 'debian-stock-auth',
    cfg: '/etc/kamailio/kamailio.cfg',
    defines: ['WITH_AUTH', 'DBURL="text:///usr/share/kamailio/dbtext/kamailio"'],
    extraArgs: ['--loadmodule=db_text.so'],
    listenArg: true,
    useDomain: false,
    cases: (P) => [
      { name: 'INVITE local user from an outside caller (no challenge)', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE local user from a local user (challenged)', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}`, fromUser: '1002', fromDomain: `127.0.0.1:${P}` },
      { name: 'INVITE foreign domain from an outside caller', method: 'INVITE', ruri: 'sip:bob@example.com' },
      { name: 'INVITE foreign domain from a local user (challenged)', method: 'INVITE', ruri: 'sip:bob@example.com', fromUser: '1002', fromDomain: `127.0.0.1:${P}` },
      { name: 'REGISTER without credentials', method: 'REGISTER', ruri: `sip:127.0.0.1:${P}`, aorUser: '1001', fromUser: '1001', fromDomain: `127.0.0.1:${P}` },
      { name: 'REGISTER for a foreign domain without credentials', method: 'REGISTER', ruri: 'sip:example.com', aorUser: '1001' },
      { name: 'OPTIONS keepalive (before authentication)', method: 'OPTIONS', ruri: `sip:127.0.0.1:${P}` },
      { name: 'MESSAGE between local users at localhost (challenged)', method: 'MESSAGE', ruri: `sip:1001@localhost:${P}`, fromUser: '1002', fromDomain: `localhost:${P}` },
      { name: 'INVITE E.164 number from outside', method: 'INVITE', ruri: `sip:+12025551234@127.0.0.1:${P}` },
      { name: 'HELLO to a local user from a local user (challenged)', method: 'HELLO', ruri: `sip:1001@127.0.0.1:${P}`, fromUser: '1002', fromDomain: `127.0.0.1:${P}` },
      { name: 'HELLO to a local user from outside', method: 'HELLO', ruri: `sip:1001@127.0.0.1:${P}` },
    ],
  },
  {
    // Debian's cfg with IP authentication and alias_db, tables in a db_text directory written for
    // the run: 127.0.0.1 is a trusted address (group 1), "support" is an alias of helpdesk at the
    // downstream socket.
    name: 'debian-stock-trusted',
    cfg: '/etc/kamailio/kamailio.cfg',
    defines: ['WITH_AUTH', 'WITH_IPAUTH', 'WITH_ALIASDB'],
    extraArgs: ['--loadmodule=db_text.so'],
    listenArg: true,
    useDomain: false,
    setup: (_P, D) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-dbtext-'));
      const table = (name: string, header: string, rows: string[]) => fs.writeFileSync(path.join(dir, name), [header, ...rows, ''].join('\n'));
      table('version', 'id(int,auto) table_name(string) table_version(int)', ['1:subscriber:7', '2:address:6', '3:dbaliases:1']);
      table('subscriber', 'id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string)', []);
      table('address', 'id(int,auto) grp(int) ip_addr(string) mask(int) port(int) tag(string,null)', ['1:1:127.0.0.1:32:0:']);
      table('dbaliases', 'id(int,auto) alias_username(string) alias_domain(string) username(string) domain(string)', [`1:support:127.0.0.1:helpdesk:127.0.0.1\\:${D}`]);
      return { defines: [`DBURL="text://${dir}"`], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
    cases: (P, D) => [
      { name: 'INVITE foreign destination from the trusted address (no auth)', method: 'INVITE', ruri: `sip:bob@127.0.0.1:${D}` },
      { name: 'INVITE an alias (alias_db rewrites to a foreign target)', method: 'INVITE', ruri: `sip:support@127.0.0.1:${P}` },
      { name: 'MESSAGE an alias', method: 'MESSAGE', ruri: `sip:support@127.0.0.1:${P}` },
      { name: 'INVITE local user that is no alias, unregistered', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'REGISTER (IP authentication does not cover REGISTER)', method: 'REGISTER', ruri: `sip:127.0.0.1:${P}`, aorUser: '1001' },
      { name: 'OPTIONS keepalive', method: 'OPTIONS', ruri: `sip:127.0.0.1:${P}` },
      { name: 'INVITE E.164 number', method: 'INVITE', ruri: `sip:+12025551234@127.0.0.1:${P}` },
    ],
  },
  {
    name: 'office',
    cfg: path.join(FIXTURES, 'office/kamailio.cfg'),
    defines: ['LPORT={P}', 'GWPORT={D}'],
    listenArg: false,
    useDomain: false,
    cases: (P) => [
      { name: 'OPTIONS keepalive', method: 'OPTIONS', ruri: `sip:127.0.0.1:${P}` },
      { name: 'OPTIONS keepalive to the alias', method: 'OPTIONS', ruri: 'sip:pbx.example.test' },
      { name: 'INVITE extension, unregistered', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE extension at the alias, unregistered', method: 'INVITE', ruri: 'sip:1001@pbx.example.test' },
      { name: 'INVITE foreign domain', method: 'INVITE', ruri: 'sip:1001@example.com' },
      { name: 'INVITE E.164 to the gateway', method: 'INVITE', ruri: 'sip:+4930123456@pbx.example.test' },
      { name: 'INVITE 00-prefixed to the gateway', method: 'INVITE', ruri: 'sip:004930123456@pbx.example.test' },
      { name: 'INVITE emergency 112', method: 'INVITE', ruri: 'sip:112@pbx.example.test' },
      { name: 'INVITE service code 123', method: 'INVITE', ruri: 'sip:123@pbx.example.test' },
      { name: 'INVITE too-short +12', method: 'INVITE', ruri: 'sip:+12@pbx.example.test' },
      { name: 'INVITE without user', method: 'INVITE', ruri: 'sip:pbx.example.test' },
      { name: 'INVITE localhost (auto_aliases=no)', method: 'INVITE', ruri: `sip:1001@localhost:${P}` },
      { name: 'REGISTER 1001', method: 'REGISTER', ruri: 'sip:pbx.example.test', aorUser: '1001' },
      { name: 'INVITE 1001, registered', method: 'INVITE', ruri: 'sip:1001@pbx.example.test' },
      { name: 'MESSAGE 1001, registered', method: 'MESSAGE', ruri: `sip:1001@127.0.0.1:${P}` },
    ],
  },
  {
    name: 'strict-number',
    cfg: path.join(FIXTURES, 'strict-number/kamailio.cfg'),
    defines: ['LPORT={P}', 'GWPORT={D}'],
    listenArg: false,
    useDomain: false,
    cases: (P, D) => [
      { name: 'INVITE E.164 refused by the digits-only check', method: 'INVITE', ruri: `sip:+12025551234@127.0.0.1:${P}` },
      { name: 'INVITE 9-prefixed number to the gateway', method: 'INVITE', ruri: `sip:912025551234@127.0.0.1:${P}` },
      { name: 'INVITE extension, unregistered', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}` },
      { name: 'INVITE blocked range: t_reply without a transaction sends nothing', method: 'INVITE', ruri: `sip:8123@127.0.0.1:${P}` },
      { name: 'INVITE blocked range: t_reply after t_newtran', method: 'INVITE', ruri: `sip:7123@127.0.0.1:${P}` },
      { name: 'INVITE from sipvicious (dropped)', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${P}`, userAgent: 'sipvicious' },
      { name: 'OPTIONS', method: 'OPTIONS', ruri: `sip:127.0.0.1:${P}` },
      { name: 'INVITE foreign domain', method: 'INVITE', ruri: 'sip:1001@example.com' },
      { name: 'INVITE own IP, other port (is_myself ignores the port)', method: 'INVITE', ruri: `sip:1001@127.0.0.1:${D}` },
    ],
  },
  {
    name: 'multi-domain',
    cfg: path.join(FIXTURES, 'multi-domain/kamailio.cfg'),
    defines: ['LPORT={P}', 'VMPORT={D}'],
    listenArg: false,
    useDomain: true,
    cases: (P) => [
      { name: 'INVITE staff user, unregistered', method: 'INVITE', ruri: 'sip:alice@sip.example.test' },
      { name: 'INVITE sales mailbox to voicemail', method: 'INVITE', ruri: 'sip:sales@sales.example.test' },
      { name: 'INVITE unknown sales user', method: 'INVITE', ruri: 'sip:bob@sales.example.test' },
      { name: 'INVITE the IP (unknown domain)', method: 'INVITE', ruri: `sip:bob@127.0.0.1:${P}` },
      { name: 'INVITE foreign domain', method: 'INVITE', ruri: 'sip:bob@example.com' },
      { name: 'OPTIONS foreign domain (exit, no reply)', method: 'OPTIONS', ruri: 'sip:bob@example.com' },
      { name: 'REGISTER alice', method: 'REGISTER', ruri: 'sip:sip.example.test', aorUser: 'alice' },
      { name: 'INVITE alice, registered', method: 'INVITE', ruri: 'sip:alice@sip.example.test' },
      { name: 'INVITE alice in the other domain (use_domain)', method: 'INVITE', ruri: 'sip:alice@sales.example.test' },
    ],
  },
  {
    name: 'hosted',
    cfg: path.join(FIXTURES, 'hosted/kamailio.cfg'),
    defines: ['LPORT={P}', `DOMAIN_DB="text://${path.join(FIXTURES, 'hosted/dbtext')}"`],
    listenArg: false,
    useDomain: true,
    cases: (P) => [
      { name: 'INVITE user of a hosted domain, unregistered', method: 'INVITE', ruri: 'sip:alice@hosted.example.test' },
      { name: 'INVITE second hosted domain (table is mixed-case)', method: 'INVITE', ruri: 'sip:alice@second.example.test' },
      { name: 'INVITE the listen address (myself, not hosted)', method: 'INVITE', ruri: `sip:alice@127.0.0.1:${P}` },
      { name: 'INVITE foreign domain', method: 'INVITE', ruri: 'sip:alice@example.com' },
      { name: 'REGISTER to a domain not in the table', method: 'REGISTER', ruri: 'sip:example.com', aorUser: 'alice' },
      { name: 'REGISTER alice@hosted', method: 'REGISTER', ruri: 'sip:hosted.example.test', aorUser: 'alice' },
      { name: 'INVITE alice@hosted, registered', method: 'INVITE', ruri: 'sip:alice@hosted.example.test' },
      { name: 'MESSAGE alice@second (use_domain: not registered there)', method: 'MESSAGE', ruri: 'sip:alice@second.example.test' },
      { name: 'OPTIONS to a hosted domain without user', method: 'OPTIONS', ruri: 'sip:hosted.example.test' },
    ],
  },
  {
    // Probes of corner cases, one per From user (fixtures/kamailio/corners/kamailio.cfg); the
    // reply's reason names what the script saw, and is compared too.
    name: 'corners',
    cfg: path.join(FIXTURES, 'corners/kamailio.cfg'),
    defines: ['LPORT={P}', 'DPORT={D}'],
    listenArg: false,
    useDomain: false,
    cases: (P) => {
      const me = `127.0.0.1:${P}`;
      const probe = (fromUser: string, ruri: string, name: string, method = 'INVITE'): OracleCase => ({ name: `${fromUser}: ${name}`, method, ruri, fromUser, reason: true });
      return [
        probe('myself', 'sip:x@quoted.example.test:5080', 'quoted alias with port, same port'),
        probe('myself', 'sip:x@quoted.example.test', 'quoted alias with port, no port'),
        probe('myself', 'sip:x@unquoted.example.test:5080', 'unquoted alias with port, same port'),
        probe('myself', 'sip:x@unquoted.example.test', 'unquoted alias with port, no port (5060)'),
        probe('myself', 'sip:x@unquoted.example.test:5090', 'unquoted alias with port, other port'),
        probe('myself', 'sip:x@anyport.example.test:7000', 'alias without port, any port'),
        probe('myself', `sip:x@${me}`, 'the listen address'),
        probe('myself', 'sips:x@secure.example.test', 'sips: without port (5060: the scheme sets no protocol)'),
        probe('myself', 'sip:x@secure.example.test;transport=tls', 'transport=tls without port (5061)'),
        probe('myself', 'tel:+12025551234', 'tel: URI (no host)'),
        probe('ismyself', 'sip:x@quoted.example.test:5080', 'quoted alias with port, same port'),
        probe('ismyself', 'sip:x@unquoted.example.test', 'unquoted alias with port, no port'),
        probe('ismyself', 'sip:x@unquoted.example.test:5080', 'unquoted alias with port, same port'),
        probe('ismyself', 'sip:x@unquoted.example.test:5090', 'unquoted alias with port, other port'),
        probe('ismyself', 'tel:+12025551234', 'tel: URI (no host)'),
        probe('ismyselfhost', 'sip:x@unquoted.example.test:5090', 'host of an unquoted alias'),
        probe('ismyselfhost', 'sip:x@quoted.example.test:5080', 'host of a quoted alias'),
        probe('ruser', `sip:%2B12025551234@${me}`, 'escaped plus'),
        probe('ruser', `sip:%41lice@${me}`, 'escaped letter'),
        probe('ruser', `sip:503.555.1234@${me}`, 'dots'),
        probe('ruser', `sip:1-503-555-1234@${me}`, 'dashes'),
        probe('ruser', `sip:%28503%29%20555-1234@${me}`, 'escaped parentheses and space'),
        probe('ruser', `sip:(503)555-1234@${me}`, 'parentheses (legal unescaped in a SIP user)'),
        probe('ruser', `sip:@${me}`, 'empty user'),
        probe('ruser', 'sip:x@.dot.example.test', 'a host with a leading dot (parse_uri refuses it: no $rU)'),
        probe('ruser', 'sip:x@-dash.example.test', 'a host with a leading dash'),
        probe('ruser', 'sip:x@under_score.example.test', 'a host with an underscore'),
        probe('ruser', 'sip:x@1a.example.test', 'a host with a digit first (parses)'),
        probe('ruser', 'tel:+12025551234', 'tel: URI'),
        probe('ruser', 'tel:+1-202-555-1234;phone-context=example.com', 'tel: URI with separators'),
        probe('regex', `sip:+12025551234@${me}`, 'E.164'),
        probe('regex', `sip:%2B12025551234@${me}`, 'escaped E.164'),
        probe('regex', `sip:%35035551234@${me}`, 'escaped digit'),
        probe('regex', `sip:5035551234@${me}`, 'digits'),
        probe('subst', `sip:+15035551234@${me}`, 'E.164'),
        probe('subst', `sip:%2B15035551234@${me}`, 'escaped E.164'),
        probe('subst', `sip:1-503-555-1234@${me}`, 'dashes'),
        probe('subst', `sip:503.555.1234@${me}`, 'dots'),
        probe('subst', `sip:%28503%29%20555-1234@${me}`, 'escaped parentheses'),
        probe('subst', `sip:555-1234@${me}`, 'too short'),
        probe('subst', `sip:(503)555-1234@${me}`, 'parentheses'),
        probe('regex', `sip:(503)555-1234@${me}`, 'parentheses'),
        probe('substuri', `sip:%2B15035551234@${me}`, 'escaped user kept'),
        probe('substuri', 'tel:+15035551234', 'tel: URI (no match)'),
        probe('escsubst', `sip:%28503%29%20555-1234@${me}`, 'escaped parentheses'),
        probe('escsubst', `sip:503.555.1234@${me}`, 'dots'),
        probe('substempty', `sip:a11@${me}`, 'an empty match first: no result; the second subst matches'),
        probe('substempty', `sip:11a@${me}`, 'a match, then an empty one: no result'),
        probe('substempty', `sip:abc@${me}`, 'only empty matches'),
        probe('substends', `sip:0049301234#@${me}`, 'both ends rewritten'),
        probe('substends', `sip:4930#1@${me}`, 'no match at either end'),
        probe('transform', `sip:%2B1%20(503)%20555-1234@${me}`, 'escaped number'),
        probe('transform', `sip:1-503-555.1234@${me}`, 'separators'),
        probe('rewrite', 'tel:+12025551234', 'strip/prefix on a tel: URI'),
        probe('rewrite', `sip:+12025551234@${me};user=phone`, 'strip/prefix on user=phone'),
        probe('rewrite', `sip:%2B12025551234@${me}`, 'strip/prefix on an escaped user'),
        probe('assign', 'tel:12025551234', '$rU assigned on a tel: URI'),
        probe('assign', `sip:@${me}`, '$rU assigned on an empty user (sanity_check answers first)'),
        { ...probe('to', `sip:1001@${me}`, 'To differs from the Request-URI'), to: 'sip:%2B15035550100@other.example.test:5070' },
        probe('to', `sip:%2B15035550100@${me}`, 'To is the Request-URI'),
        { ...probe('to', `sip:1001@${me}`, 'a tel: To has no host'), to: 'tel:+15035550100' },
        probe('newtran', `sip:1001@${me}`, 't_newtran() then exit: no reply'),
        probe('strip', `sip:%2B12025551234@${me}`, 'escaped plus'),
        probe('strip', `sip:+12025551234@${me}`, 'plus'),
        probe('method', `sip:x@${me}`, 'HELLO', 'HELLO'),
        probe('method', `sip:x@${me}`, 'XMETHOD', 'XMETHOD'),
        probe('method', `sip:x@${me}`, 'lower-case hello', 'hello'),
        probe('method', `sip:x@${me}`, 'a token with punctuation', 'X.Y-Z!'),
        probe('method', `sip:x@${me}`, 'MESSAGE', 'MESSAGE'),
        probe('method', `sip:x@${me}`, 'PUBLISH', 'PUBLISH'),
        { name: 'INVITE empty user to the lookup', method: 'INVITE', ruri: `sip:@${me}` },
        { name: 'HELLO to an unregistered user', method: 'HELLO', ruri: `sip:1001@${me}` },
        { name: 'REGISTER escaped AOR %2B15035550100', method: 'REGISTER', ruri: `sip:${me}`, aorUser: '%2B15035550100' },
        { name: 'INVITE the registered AOR, unescaped', method: 'INVITE', ruri: `sip:+15035550100@${me}` },
        { name: 'INVITE the registered AOR, escaped', method: 'INVITE', ruri: `sip:%2B15035550100@${me}` },
        { name: 'REGISTER a To without user', method: 'REGISTER', ruri: `sip:${me}`, to: `sip:${me}`, fromUser: '1003', fromDomain: me },
        { name: 'REGISTER with a user in the Request-URI (AOR from To)', method: 'REGISTER', ruri: `sip:2002@${me}`, to: `sip:2001@${me}`, fromUser: '2001', fromDomain: me },
        { name: 'INVITE 2001 (registered via To)', method: 'INVITE', ruri: `sip:2001@${me}` },
        { name: 'INVITE 2002 (only in the REGISTER Request-URI)', method: 'INVITE', ruri: `sip:2002@${me}` },
        { name: 'lower-case register (the core knows REGISTER in any case)', method: 'register', ruri: `sip:${me}`, aorUser: '3001' },
        { name: 'lower-case invite to 3001, registered', method: 'invite', ruri: `sip:3001@${me}` },
        probe('ruser', `sip:+12025551234@${me};user=phone`, 'user=phone'),
        probe('method', `sip:x@${me}`, 'lower-case invite', 'invite'),
      ];
    },
  },
  {
    // Regressions of the divergences the randomised oracle found (fixtures/kamailio/random-found).
    name: 'random-found',
    cfg: path.join(FIXTURES, 'random-found/kamailio.cfg'),
    defines: ['LPORT={P}'],
    listenArg: false,
    useDomain: false,
    cases: (P, D) => {
      const me = `127.0.0.1:${P}`;
      const probe = (fromUser: string, ruri: string, name: string, method = 'INVITE'): OracleCase => ({ name: `${fromUser}: ${name}`, method, ruri, fromUser, reason: true });
      return [
        probe('ack', `sip:x@${me}`, 'an ACK is never answered', 'ACK'),
        probe('params', `sip:x@${me};user=phone;lr;x=1`, 'URI parameters kept by a rewrite'),
        probe('params', 'tel:+12025551234', 'tel: URI given a host'),
        probe('unparsed', `sip:@${me}`, 'R-URI that does not parse'),
        probe('relayunparsed', `sip:@${me}`, 't_relay of an R-URI that does not parse'),
        probe('elemerror', `sip:@${me}`, 'uri==myself on an R-URI that does not parse'),
        probe('elemerror', `sip:x@${me}`, 'uri==myself on a good R-URI'),
        probe('elemerror', `sip:x@other.example.org`, 'uri==myself, foreign host'),
        probe('myself', `sip:x@${me};transport=tcp`, 'transport=tcp to the UDP listen address'),
        probe('myself', `sip:x@localhost:${P};transport=tcp`, 'transport=tcp to an auto alias'),
        probe('tcp', `sip:x@127.0.0.1:${D};transport=tcp`, 'no TCP socket'),
        probe('tcp', `sip:x@127.0.0.1:${D};transport=tcp`, 'no TCP socket for an ACK', 'ACK'),
        probe('telstrip', 'tel:+12025551234', 'strip past the end of a tel: number'),
      ];
    },
  },
];
