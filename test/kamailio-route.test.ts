/**
 * `pbxlint route` on Kamailio configs: the interpreter's control flow (action.c), forks on what it
 * cannot know, and the command's JSON and exit codes. The real-engine comparison is in
 * kamailio-oracle.test.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { routeCommand } from '../src/route';
import type { RouteCommandOptions } from '../src/route';
import { fixture } from './helpers/rule-tester';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-kroute-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEAD = 'listen=udp:127.0.0.1:5060\nloadmodule "sl.so"\nloadmodule "tm.so"\nloadmodule "registrar.so"\nloadmodule "usrloc.so"\nloadmodule "textops.so"\n';

function route(body: string, target: string, opts: Partial<RouteCommandOptions> = {}) {
  const f = path.join(dir, 'kamailio.cfg');
  fs.writeFileSync(f, HEAD + body);
  return routeCommand(target, [f], { registered: [], fromUser: 'a', fromDomain: 'b.invalid', ...opts }).answer;
}

describe('control flow', () => {
  it('without --registered, lookup() forks: routed if registered, the script reply if not', () => {
    const a = route('request_route { if (!lookup("location")) { sl_send_reply("480", "Offline"); exit; } t_relay(); }', 'sip:1001@127.0.0.1', { registered: undefined });
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => [o.verdict, o.status, o.conditions])).toEqual([
      ['routed', null, ['1001 is registered']],
      ['rejected', 480, ['1001 is not registered']],
    ]);
  });

  it('dlgs_init and dlgs_update (the stock kamailio.cfg) return 1 and change nothing (dlgs_mod.c)', () => {
    const body = 'loadmodule "dlgs.so"\nrequest_route { if (dlgs_init("$fu", "$tu", "srcip=$si")) { dlgs_update(); sl_send_reply("404", "Gone"); exit; } sl_send_reply("500", "x"); }';
    const a = route(body, 'sip:1001@127.0.0.1');
    expect([a.verdict, a.status, a.notModelled]).toEqual(['rejected', 404, []]);
  });

  it('a script that ends without reply or relay is rejected with no status (the caller times out)', () => {
    const a = route('request_route { if ($rU == "1") { drop; } exit; }', 'sip:1@127.0.0.1');
    expect([a.verdict, a.status]).toEqual(['rejected', null]);
    expect(a.reason).toMatch(/no reply.*408 at the UAC/);
  });

  it('return 0 in a sub-route ends the whole script; return 1 and the end of a route go back', () => {
    const body = 'request_route { route(A); sl_send_reply("500", "after A"); }\nroute[A] { if ($rU == "0") return 0; if ($rU == "1") return 1; }';
    expect(route(body, 'sip:0@127.0.0.1').status).toBe(null);
    expect(route(body, 'sip:1@127.0.0.1').status).toBe(500);
    expect(route(body, 'sip:2@127.0.0.1').status).toBe(500);
  });

  it('switch falls through to the next case until break, and $rc holds the last return code', () => {
    const body = 'request_route { lookup("location"); switch ($rc) { case -1: case -3: sl_send_reply("404", "No contact"); exit; case 1: t_relay(); exit; default: sl_send_reply("500", "Other"); } }';
    expect(route(body, 'sip:1001@127.0.0.1').status).toBe(404);
    expect(route(body, 'sip:1001@127.0.0.1', { registered: ['1001'] }).verdict).toBe('routed');
  });

  it('applies strip/prefix and $rU assignments before the number tests', () => {
    const body = 'request_route { if ($rU =~ "^00") { strip(2); prefix("+"); } $var(n) = $rU; if ($var(n) == "+4930") { sl_send_reply("299", "E164"); exit; } sl_send_reply("404", "x"); }';
    const a = route(body, 'sip:004930@127.0.0.1');
    expect([a.verdict, a.reason]).toEqual(['routed', '299 E164']);
  });

  it('stops a runaway while loop and says so', () => {
    const a = route('request_route { $var(i) = 0; while ($var(i) >= 0) { $var(i) = $var(i) + 1; } sl_send_reply("404", "x"); }', 'sip:1@127.0.0.1');
    expect(a.notModelled.join(' ')).toMatch(/while loop .* ran more than 100 times/);
  });

  it('follows both ways through a function it does not model, and names it', () => {
    const a = route('request_route { if (my_magic_check()) { t_relay(); exit; } sl_send_reply("403", "No"); }', 'sip:1@127.0.0.1');
    expect(a.verdict).toBe('depends');
    expect(a.notModelled).toEqual(['my_magic_check()']);
  });

  it('keeps one assumption per unknown on a path (uri==myself tested twice)', () => {
    const a = route('request_route { if (uri != myself) { sl_send_reply("403", "Not relaying"); exit; } if (uri == myself) { sl_send_reply("404", "Local"); exit; } t_relay(); }', 'sip:1@somewhere.example', {});
    // somewhere.example is not myself: the listen address is fixed
    expect(a.status).toBe(403);
    const f = path.join(dir, 'kamailio.cfg');
    fs.writeFileSync(f, 'loadmodule "sl.so"\nloadmodule "tm.so"\nrequest_route { if (uri != myself) { sl_send_reply("403", "Not relaying"); exit; } if (uri == myself) { sl_send_reply("404", "Local"); exit; } t_relay(); }');
    const b = routeCommand('sip:1@somewhere.example', [f], {}).answer;
    expect(b.outcomes.map((o) => o.status).sort()).toEqual([403, 404]); // never "relayed": the two tests agree
  });

  it('evaluates a pathological regex without hanging, and forks on one it cannot evaluate', () => {
    const a = route('request_route { if ($rU =~ "^(a+)+$") { sl_send_reply("299", "match"); exit; } sl_send_reply("404", "x"); }', `sip:${'a'.repeat(60)}b@127.0.0.1`);
    expect([a.verdict, a.status]).toEqual(['rejected', 404]);
    const b = route('request_route { if ($rU =~ "^(a)\\1$") { sl_send_reply("299", "match"); exit; } sl_send_reply("404", "x"); }', 'sip:aa@127.0.0.1');
    expect(b.verdict).toBe('depends');
    expect(b.notModelled[0]).toMatch(/regular expression/);
  });

  it('uses --define like kamailio -A', () => {
    const body = '#!ifdef WITH_OPEN\nrequest_route { t_relay(); }\n#!else\nrequest_route { sl_send_reply("403", "Closed"); }\n#!endif\n';
    expect(route(body, 'sip:1@127.0.0.1').status).toBe(403);
    expect(route(body, 'sip:1@127.0.0.1', { defines: ['WITH_OPEN'] }).verdict).toBe('routed');
  });
});

describe('tables in db_text', () => {
  it('decides allow_source_address() and alias_db_lookup() from the tables instead of forking', () => {
    const db = path.join(dir, 'db');
    fs.mkdirSync(db);
    fs.writeFileSync(path.join(db, 'address'), 'id(int,auto) grp(int) ip_addr(string) mask(int) port(int) tag(string,null)\n1:1:10.1.0.0:16:0:\n');
    fs.writeFileSync(path.join(db, 'dbaliases'), 'id(int,auto) alias_username(string) alias_domain(string) username(string) domain(string)\n1:sales:x:1001:gw.example.net\\:5070\n');
    const body = [
      'loadmodule "db_text.so"',
      'loadmodule "permissions.so"',
      'loadmodule "alias_db.so"',
      `modparam("permissions", "db_url", "text://${db}")`,
      `modparam("alias_db", "db_url", "text://${db}")`,
      'request_route {',
      '  if (allow_source_address()) { if (alias_db_lookup("dbaliases")) { t_relay(); exit; } sl_send_reply("404", "No alias"); exit; }',
      '  sl_send_reply("403", "Untrusted");',
      '}',
    ].join('\n');
    expect(route(body, 'sip:sales@127.0.0.1', { sourceIp: '10.1.2.3' })).toMatchObject({ verdict: 'routed', target: { kind: 'relay', name: 'sip:1001@gw.example.net:5070' } });
    expect(route(body, 'sip:bob@127.0.0.1', { sourceIp: '10.1.2.3' }).status).toBe(404);
    expect(route(body, 'sip:sales@127.0.0.1', { sourceIp: '10.2.0.1' }).status).toBe(403);
    expect(route(body, 'sip:sales@127.0.0.1', {}).verdict).toBe('depends'); // source IP not given
  });
});

describe('the route command', () => {
  const bin = path.resolve(__dirname, '../bin/pbxlint.js');
  const built = fs.existsSync(path.resolve(__dirname, '../dist/src/cli.js'));
  (built ? it : it.skip)('prints the shared JSON fields and exits 1 / 0 / 3 for rejected / routed / depends', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'route', ...args, '--format', 'json'], { encoding: 'utf8' });
    const office = fixture('kamailio', 'office');
    const rejected = run('sip:1001@pbx.example.test', office, '--unregistered');
    expect(rejected.status).toBe(1);
    const j = JSON.parse(rejected.stdout);
    expect(j).toMatchObject({ platform: 'kamailio', verdict: 'rejected', status: 480, reason: 'Temporarily Unavailable' });
    expect(Array.isArray(j.steps) && Array.isArray(j.outcomes) && Array.isArray(j.notModelled)).toBe(true);
    expect(run('sip:1001@pbx.example.test', office, '--registered', '1001').status).toBe(0);
    expect(run('1001', office, '--domain', 'pbx.example.test').status).toBe(3);
  });
});
