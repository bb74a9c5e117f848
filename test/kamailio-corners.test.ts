/**
 * `pbxlint route` on the corners of Kamailio's request handling (issue 15), each checked against
 * kamailio 5.6 by the oracle test (fixtures/kamailio/corners, the "corners" scenario of
 * test/kamailio-oracle/cases.ts); here without a running Kamailio.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli';
import { routeCommand, type RouteCommandOptions } from '../src/route';
import { parseDialTarget, sipUserEscape } from '../src/core/sip-uri';
import { parseSubst, applySubst } from '../src/resolvers/kamailio/subst';
import { parseAliasList } from '../src/parsers/kamailio';

const CORNERS = path.resolve(__dirname, '../fixtures/kamailio/corners/kamailio.cfg');
const ME = '127.0.0.1:5060';

/** The probe of the corners config selected by the From user: the status and reason it answers. */
function probe(fromUser: string, target: string, opts: Partial<RouteCommandOptions> = {}): string {
  const a = routeCommand(target, [CORNERS], { fromUser, fromDomain: 'caller.example.net', sourceIp: '127.0.0.1', registered: [], ...opts }).answer;
  return `${a.status ?? a.verdict} ${a.reason}`;
}

describe('aliases with a port: quoted or not (cfg.y listen_id STRING, name_alias.h grep_aliases)', () => {
  it('alias="host:5080" is one name: the host is never myself, on any port', () => {
    expect(probe('myself', 'sip:x@quoted.example.test:5080')).toBe('471 uri is not myself');
    expect(probe('ismyself', 'sip:x@quoted.example.test:5080')).toBe('471 ru is not myself');
    expect(probe('ismyselfhost', 'sip:x@quoted.example.test:5080')).toBe('471 rd is not myself');
  });

  it('alias=host:5080 is the host on port 5080 only; without a port in the URI uri==myself compares 5060, is_myself any port', () => {
    expect(probe('myself', 'sip:x@unquoted.example.test:5080')).toBe('470 uri is myself');
    expect(probe('myself', 'sip:x@unquoted.example.test')).toBe('471 uri is not myself');
    expect(probe('myself', 'sip:x@unquoted.example.test:5090')).toBe('471 uri is not myself');
    // GET_URI_PORT: 5061 only when the URI says transport=tls; the sips: scheme alone sets no protocol.
    expect(probe('myself', 'sip:x@secure.example.test;transport=tls')).toBe('470 uri is myself');
    expect(probe('myself', 'sips:x@secure.example.test')).toBe('471 uri is not myself');
    expect(probe('ismyself', 'sip:x@unquoted.example.test')).toBe('470 ru is myself');
    expect(probe('ismyself', 'sip:x@unquoted.example.test:5090')).toBe('471 ru is not myself');
    expect(probe('ismyselfhost', 'sip:x@unquoted.example.test:5090')).toBe('470 rd is myself');
  });

  it('an alias list keeps each entry: quoted names whole, ports and protocols parsed', () => {
    expect(parseAliasList('"a.test:5080" b.test:7 udp:c.test:9 "d.test":5070 [::1]:5062')).toEqual([
      { host: 'a.test:5080', port: undefined, proto: undefined, nameWithPort: true },
      { host: 'b.test', port: 7, proto: undefined },
      { host: 'c.test', port: 9, proto: 'udp' },
      { host: 'd.test', port: 5070, proto: undefined },
      { host: '::1', port: 5062, proto: undefined },
    ]);
  });
});

describe('escaped user parts: $rU, regex tests, strip/prefix and the registrar', () => {
  it('$rU is the user as written in the URI, escapes kept (parse_uri.c does not unescape)', () => {
    expect(probe('ruser', `sip:%2B12025551234@${ME}`)).toBe('473 rU=[%2B12025551234] rd=[127.0.0.1] rz=[sip]');
    expect(probe('ruser', `sip:%41lice@${ME}`)).toBe('473 rU=[%41lice] rd=[127.0.0.1] rz=[sip]');
  });

  it('=~ sees the escaped form', () => {
    expect(probe('regex', `sip:%2B12025551234@${ME}`)).toBe('475 escaped plus');
    expect(probe('regex', `sip:+12025551234@${ME}`)).toBe('474 E.164');
    expect(probe('regex', `sip:%35035551234@${ME}`)).toBe('477 other');
  });

  it('{s.unescape.user}, {s.escape.user}, {s.numeric} and {s.rm,-} work on the escaped $rU as pv_trans.c does', () => {
    expect(probe('transform', `sip:%2B1%20(503)%20555-1234@${ME}`)).toBe('486 unescaped=[+1 (503) 555-1234] numeric=[2120503205551234] nodash=[%2B1%20(503)%205551234] escaped=[+1%20(503)%20555-1234]');
    expect(probe('transform', `sip:1-503-555.1234@${ME}`)).toBe('486 unescaped=[1-503-555.1234] numeric=[15035551234] nodash=[1503555.1234] escaped=[1-503-555.1234]');
  });

  it('strip(1) removes the "%" of an escape', () => {
    expect(probe('strip', `sip:%2B12025551234@${ME}`)).toBe('480 strip+prefix rU=[002B12025551234]');
    expect(probe('strip', `sip:+12025551234@${ME}`)).toBe('480 strip+prefix rU=[0012025551234]');
  });

  it('lookup() unescapes the user (registrar extract_aor un_escape): %2B1… finds +1…', () => {
    const a = routeCommand(`sip:%2B15035550100@${ME}`, [CORNERS], { fromUser: 'caller', fromDomain: 'x.test', registered: ['+15035550100'] }).answer;
    expect(a.verdict).toBe('routed');
    expect(a.target).toMatchObject({ kind: 'location', name: '+15035550100' });
  });

  it('a bare number is sent as a UA would write it into the URI: a space escaped, parentheses as they are', () => {
    expect(sipUserEscape('(503) 555-1234')).toBe('(503)%20555-1234');
    expect(sipUserEscape('%2B1 #9')).toBe('%2B1%20%239');
    expect(parseDialTarget('(503) 555-1234')).toMatchObject({ user: '(503) 555-1234', rawUser: '(503)%20555-1234' });
    expect(probe('ruser', '(503) 555-1234', { domain: '127.0.0.1', port: 5060 } as Partial<RouteCommandOptions>)).toBe('473 rU=[(503)%20555-1234] rd=[127.0.0.1] rz=[sip]');
  });
});

describe('numbers with separators through subst_user (textops subst_user_helper_f, core re.c)', () => {
  it('rewrites dashes, dots, parentheses and a leading +1 to ten digits', () => {
    for (const u of ['+15035551234', '%2B15035551234', '1-503-555-1234', '503.555.1234', '(503)555-1234']) {
      expect(probe('subst', `sip:${u}@${ME}`)).toBe('478 subst rU=[5035551234]');
    }
  });

  it('no match returns -1 and leaves the user; escaped parentheses need a regex written for them', () => {
    expect(probe('subst', `sip:555-1234@${ME}`)).toBe('479 no subst rU=[555-1234]');
    expect(probe('subst', `sip:%28503%29%20555-1234@${ME}`)).toBe('479 no subst rU=[%28503%29%20555-1234]');
    expect(probe('escsubst', `sip:%28503%29%20555-1234@${ME}`)).toBe('478 subst rU=[5035551234]');
  });

  it('subst_uri rewrites the whole R-URI; a tel: URI does not match a sip: pattern', () => {
    expect(probe('substuri', `sip:%2B15035551234@${ME}`)).toBe('478 subst_uri ru=[sip:%2B15035551234@gw.example.test] rU=[%2B15035551234]');
    expect(probe('substuri', 'tel:+15035551234')).toBe('479 no subst_uri ru=[tel:+15035551234]');
  });

  it('parses /re/repl/flags like re.c: escaped separators, \\N groups, g and i', () => {
    const se = parseSubst('/a\\/b([0-9])/x\\1\\\\y/gi');
    expect(typeof se).toBe('object');
    if (typeof se === 'string') return;
    expect(applySubst(se, 'A/B1-a/b2', () => null)).toBe('x1\\y-x2\\y');
    expect(parseSubst('/a/b/q')).toBe('unknown flag q');
    expect(parseSubst('/a/b')).toBe('missing separator');
  });
});

describe('empty users, tel: URIs and sanity_check', () => {
  it('sip:@host does not parse: sanity_check answers 400 Bad Request URI (sanity.c check_ruri_scheme)', () => {
    expect(probe('ruser', `sip:@${ME}`)).toBe('400 Bad Request URI');
    expect(probe('caller', `sip:@${ME}`)).toBe('400 Bad Request URI');
  });

  it('sip:host (no user) parses: $rU is $null', () => {
    expect(probe('ruser', `sip:${ME}`)).toBe('472 rU is null');
  });

  it('sip:…;user=phone is a tel URI to the core (phone2tel): $rz is tel, the host stays', () => {
    expect(probe('ruser', `sip:+12025551234@${ME};user=phone`)).toBe('473 rU=[+12025551234] rd=[127.0.0.1] rz=[tel]');
  });

  it('a tel: URI has no host: $rd is $null, $rz is tel, uri==myself is false', () => {
    expect(probe('ruser', 'tel:+1-202-555-1234;phone-context=example.com')).toBe('473 rU=[+1-202-555-1234] rd=[<null>] rz=[tel]');
    expect(probe('myself', 'tel:+12025551234')).toBe('471 uri is not myself');
  });

  it('a tel: URI is never myself, even where the server\'s addresses are not all known (forward.c check_self: no host)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-corners-'));
    try {
      const f = path.join(dir, 'kamailio.cfg');
      fs.writeFileSync(f, 'loadmodule "sl.so"\nloadmodule "kex.so"\nrequest_route { if (is_myself("$ru") || uri == myself) { sl_send_reply("480", "mine"); exit; } sl_send_reply("403", "foreign"); }\n');
      expect(routeCommand('tel:+12025551234', [f], {}).answer).toMatchObject({ verdict: 'rejected', status: 403 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sanity_check with modparam noreply fails without a reply', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-corners-'));
    try {
      const f = path.join(dir, 'kamailio.cfg');
      fs.writeFileSync(f, 'listen=udp:127.0.0.1:5060\nloadmodule "sl.so"\nloadmodule "sanity.so"\nmodparam("sanity", "noreply", 1)\nrequest_route { if (!sanity_check()) { exit; } sl_send_reply("200", "OK"); }\n');
      expect(routeCommand(`sip:@${ME}`, [f], {}).answer).toMatchObject({ verdict: 'rejected', status: null });
      expect(routeCommand(`sip:1@${ME}`, [f], {}).answer).toMatchObject({ verdict: 'routed', reason: '200 OK' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('any method token', () => {
  it('is_method compares case-insensitively, method == too; unknown methods go on like any other', () => {
    expect(probe('method', `sip:x@${ME}`, { method: 'HELLO' })).toBe('481 is_method HELLO');
    expect(probe('method', `sip:x@${ME}`, { method: 'hello' })).toBe('481 is_method HELLO');
    expect(probe('method', `sip:x@${ME}`, { method: 'XMETHOD' })).toBe('482 method XMETHOD');
    expect(probe('method', `sip:x@${ME}`, { method: 'X.Y-Z!' })).toBe('485 other X.Y-Z!');
    expect(probe('caller', `sip:1001@${ME}`, { method: 'HELLO' })).toBe('404 Not Found');
  });

  it('a standard method in lower case is that method to the core (parse_methods.c): register saves, $rm keeps the case', () => {
    const a = routeCommand(`sip:${ME}`, [CORNERS], { method: 'register', registered: [], to: `sip:3001@${ME}` }).answer;
    expect(a.target).toMatchObject({ kind: 'location', name: '3001' });
    expect(probe('method', `sip:x@${ME}`, { method: 'invite' })).toBe('484 known invite');
  });

  it('route --method takes any RFC 3261 token and refuses anything else (exit 2)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), isTTY: false, cwd: process.cwd(), env: {} };
    expect(await main(['route', `sip:x@${ME}`, CORNERS, '--method', 'HELLO', '--from-user', 'method', '--from-domain', 'a.test', '--unregistered'], io)).toBe(1);
    expect(out.join('')).toContain('481 is_method HELLO');
    expect(await main(['route', `sip:x@${ME}`, CORNERS, '--method', 'HEL LO'], io)).toBe(2);
    expect(err.join('')).toContain('not a SIP method token');
  });
});

describe('routing assertions take any method token and to:', () => {
  it('a HELLO and a REGISTER with to: pass; a method that is no token fails the schema', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-corners-'));
    try {
      const file = path.join(dir, 'pbxlint.routes.yaml');
      fs.writeFileSync(
        file,
        [
          `paths: ${JSON.stringify(CORNERS)}`,
          'registered: []',
          'cases:',
          `  - { dial: 'sip:x@${ME}', method: HELLO, from: { from-user: method, from-domain: a.test }, expect: { status: 481 } }`,
          `  - { dial: 'sip:${ME}', method: REGISTER, to: 'sip:2001@${ME}', expect: { verdict: routed, target: { equals: '2001' } } }`,
          '',
        ].join('\n'),
      );
      const out: string[] = [];
      const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), isTTY: false, cwd: dir, env: {} };
      expect(await main(['test', file], io)).toBe(0);
      fs.writeFileSync(file, `paths: ${JSON.stringify(CORNERS)}\ncases:\n  - { dial: '1001', method: 'HEL LO', expect: { status: 404 } }\n`);
      expect(await main(['test', file], io)).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('REGISTER: the AOR comes from To', () => {
  const reg = (target: string, opts: Partial<RouteCommandOptions> = {}) => routeCommand(target, [CORNERS], { method: 'REGISTER', registered: [], ...opts }).answer;

  it('--to names the AOR; the Request-URI keeps its own user', () => {
    const a = reg(`sip:2002@${ME}`, { to: `sip:2001@${ME}`, fromUser: '2001' });
    expect(a.target).toMatchObject({ kind: 'location', name: '2001' });
    expect(a.request).toContain(`REGISTER sip:2002@${ME} (To sip:2001@${ME})`);
  });

  it('without --to the target user is the AOR, else the From user; escapes are undone like extract_aor', () => {
    expect(reg(`sip:1001@${ME}`).target).toMatchObject({ name: '1001' });
    expect(reg(`sip:${ME}`, { fromUser: '1003' }).target).toMatchObject({ name: '1003' });
    expect(reg(`sip:${ME}`, { to: `sip:%2B15035550100@${ME}` }).target).toMatchObject({ name: '+15035550100' });
  });

  it('a To without user is saved under an empty AOR, and the answer never reads null@host', () => {
    const a = reg(`sip:${ME}`);
    expect(a.verdict).toBe('routed');
    expect(a.target?.name).not.toMatch(/null/);
    expect(a.target?.name).toContain('has no user');
    expect(a.request).not.toMatch(/null/);
  });
});
