/**
 * Kamailio KEMI (issue 17): a cfg with `cfgengine "lua"` is a root whose routing is the Lua
 * script's ksr_request_route. fixtures/kemi/lua routes as its native twin fixtures/kemi/native
 * does; other KEMI languages answer "not modelled" (depends, exit 3), never a refusal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findRoots, loadRoot, routeWith } from '../src/engines';
import type { KamailioModel } from '../src/model/kamailio';
import { luaPattern } from '../src/resolvers/kamailio/kemi';
import type { RouteRequest } from '../src/resolvers/types';
import { lintPaths } from '../src/lint';
import { writeTree } from './helpers/tmp-config';

const FIX = path.join(__dirname, '..', 'fixtures', 'kemi');
const load = (dir: string) => loadRoot({ platform: 'kamailio', path: path.join(dir, 'kamailio.cfg') }, {}) as KamailioModel;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('Lua KEMI routes as its native twin', () => {
  const lua = load(path.join(FIX, 'lua'));
  const native = load(path.join(FIX, 'native'));
  const summary = (m: KamailioModel, r: RouteRequest) => {
    const a = routeWith(m, r);
    return { verdict: a.verdict, status: a.status, outcomes: a.outcomes.map((o) => `${o.verdict} ${o.status ?? ''} ${o.target?.name ?? ''} ${o.reason} [${o.conditions.join('; ')}]`) };
  };
  const cases: [string, RouteRequest][] = [];
  for (const user of ['100', '1001', '+12025550100', '911', '9', '']) {
    for (const domain of ['pbx.example.com', '192.0.2.10', 'other.example.org']) {
      for (const registered of [undefined, [], ['100', '1001']]) cases.push([`${user || '(none)'}@${domain} registered=${registered ? registered.join(',') || 'nobody' : 'unknown'}`, { user, domain, method: 'INVITE', registered }]);
    }
  }
  cases.push(['REGISTER 100', { user: '100', domain: 'pbx.example.com', method: 'REGISTER' }]);
  cases.push(['OPTIONS', { user: '', domain: 'pbx.example.com', method: 'OPTIONS' }]);

  test.each(cases)('%s', (_name, request) => {
    expect(lua.kemi?.lua).toBeDefined();
    expect(summary(lua, request)).toEqual(summary(native, request));
  });

  test('steps are at file:line in the Lua script', () => {
    const a = routeWith(lua, { user: '+12025550100', domain: 'pbx.example.com', method: 'INVITE' });
    expect(a.verdict).toBe('rejected');
    expect(a.status).toBe(404);
    const last = a.steps[a.steps.length - 1];
    expect([path.basename(last.file), last.line]).toEqual(['kamailio.lua', 31]);
    expect(a.steps[0].text).toMatch(/ksr_request_route\(\) \(KEMI, kamailio\.lua\)/);
    expect(a.request).toMatch(/into ksr_request_route/);
  });
});

test('other KEMI languages: the native part is linted, route answers "not modelled: routing is in <file> (python)"', () => {
  const m = load(path.join(FIX, 'python'));
  const a = routeWith(m, { user: '100', domain: 'x', method: 'INVITE' });
  expect(a.verdict).toBe('depends');
  expect(a.reason).toBe('not modelled: routing is in kamailio.py (python)');
  const r = lintPaths([path.join(FIX, 'python')]);
  expect(r.errors).toEqual([]);
  expect(r.roots).toHaveLength(1);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
});

describe('the Lua subset', () => {
  const cfg = (lua: string, extra = '') => {
    const dir = writeTree({
      'kamailio.cfg': `listen=udp:192.0.2.10:5060\nloadmodule "sl.so"\nloadmodule "tm.so"\nloadmodule "app_lua.so"\nmodparam("app_lua", "load", "r.lua")\ncfgengine "lua"\n${extra}`,
      'r.lua': lua,
    });
    dirs.push(dir);
    return load(dir);
  };
  const route = (m: KamailioModel, user: string) => routeWith(m, { user, domain: '192.0.2.10', method: 'INVITE' });

  test('string patterns, sub, len, concatenation, elseif, numeric for, locals in functions', () => {
    const m = cfg(`
local PREFIX = "00"
local function intl(u)
  if u:sub(1, #PREFIX) == PREFIX then return "+" .. u:sub(3) end
  return u
end
function ksr_request_route()
  local u = intl(KSR.pv.get("$rU"))
  local n = 0
  for i = 1, 3 do n = n + i end
  if string.find(u, "^%+44") then
    KSR.sl.sl_send_reply(403, "UK " .. n)
  elseif string.len(u) < 4 then
    KSR.sl.sl_send_reply(484, "Short")
  elseif u:match("^(%d+)$") == u then
    KSR.tm.t_relay()
  else
    KSR.sl.sl_send_reply(404, "Unknown " .. u)
  end
end
`);
    expect([route(m, '00441234').status, route(m, '00441234').reason]).toEqual([403, 'UK 6']);
    expect(route(m, '12').status).toBe(484);
    expect(route(m, '12345').verdict).toBe('routed');
    expect(route(m, '00331234').reason).toBe('Unknown +331234');
  });

  test('Lua truth: a failing function code (-1) is true in an if, as in Lua', () => {
    const m = cfg('function ksr_request_route()\n  if KSR.registrar.lookup("location") then\n    KSR.sl.sl_send_reply(404, "taken")\n  end\nend\n', 'loadmodule "usrloc.so"\nloadmodule "registrar.so"\n');
    const a = routeWith(m, { user: '100', domain: '192.0.2.10', method: 'INVITE', registered: [] });
    expect(a.status).toBe(404);
  });

  test('an unknown KSR call is not modelled: both ways are followed', () => {
    const m = cfg('function ksr_request_route()\n  if KSR.geoip.match("1.2.3.4", "src") > 0 then\n    KSR.sl.sl_send_reply(403, "Geo")\n    KSR.x.exit()\n  end\n  KSR.sl.sl_send_reply(404, "Nope")\nend\n');
    const a = route(m, '100');
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => o.status).sort()).toEqual([403, 404]);
    expect(a.notModelled.join('\n')).toMatch(/match\(\)/);
  });

  test('KSR.route runs the cfg route block of that name; KSR.x.drop ends with nothing sent', () => {
    const m = cfg('function ksr_request_route()\n  if KSR.pv.get("$rU") == "1" then KSR.x.drop() end\n  KSR.route("REJECT")\nend\n', 'route[REJECT] {\n  sl_send_reply("486", "Busy Here");\n}\n');
    expect(route(m, '2').status).toBe(486);
    const dropped = route(m, '1');
    expect([dropped.verdict, dropped.status]).toEqual(['rejected', null]);
  });

  test('KSR.route("X") in the script uses route[X]: kamailio-unused-route does not report it', () => {
    const m = cfg('function ksr_request_route()\n  KSR.route("REJECT")\nend\n', 'route[REJECT] {\n  sl_send_reply("486", "Busy Here");\n}\nroute[LEFTOVER] {\n  drop;\n}\n');
    const r = lintPaths([m.mainFile!]);
    expect(r.findings.filter((f) => f.ruleId === 'kamailio-unused-route').map((f) => f.message)).toEqual([expect.stringMatching(/route\[LEFTOVER\] is never used/)]);
  });

  test('kx request attributes, corex.has_ruri_user, flags (booleans), htable stored on the path', () => {
    const m = cfg(`
function ksr_request_route()
  if KSR.corex.has_ruri_user() < 0 then KSR.sl.sl_send_reply(484, "no user") KSR.x.exit() end
  if KSR.kx.gete_ua() == "" then KSR.sl.sl_send_reply(403, "no UA " .. KSR.kx.get_method()) KSR.x.exit() end
  if KSR.htable.sht_match_name("ipban", "eq", KSR.kx.get_srcip()) > 0 then KSR.x.exit() end
  KSR.htable.sht_seti("ipban", KSR.kx.get_srcip(), 1)
  if KSR.htable.sht_match_name("ipban", "eq", KSR.kx.get_srcip()) < 0 then KSR.sl.sl_send_reply(500, "lost") KSR.x.exit() end
  if KSR.setflag(3) == true and KSR.isflagset(3) then KSR.sl.sl_send_reply(486, "flagged " .. KSR.kx.get_ruri()) end
end
`);
    const r = (user: string, userAgent?: string) => routeWith(m, { user, domain: '192.0.2.10', method: 'INVITE', userAgent, sourceIp: '198.51.100.7' });
    expect(r('', 'x').status).toBe(484);
    expect(r('100').reason).toBe('no UA INVITE');
    expect(r('100', 'x').reason).toBe('flagged sip:100@192.0.2.10');
  });

  test('a missing script is the error Kamailio gives (app_lua cannot load it)', () => {
    const dir = writeTree({ 'kamailio.cfg': 'loadmodule "app_lua.so"\nmodparam("app_lua", "load", "/nonexistent-pbxlint/k.lua")\ncfgengine "lua"\n' });
    dirs.push(dir);
    const r = lintPaths([dir]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.line} ${f.message}`)).toEqual([expect.stringMatching(/^2 modparam\("app_lua", "load", "\/nonexistent-pbxlint\/k\.lua"\): no such file/)]);
  });

  test('a cfg with cfgengine and no request_route is found as a Kamailio root', () => {
    expect(findRoots([path.join(FIX, 'lua')]).roots.map((r) => path.basename(r.path))).toEqual(['kamailio.cfg']);
  });
});

test.each([
  ['^9%d%d$', '911', true],
  ['^9%d%d$', '9111', false],
  ['^%+%d+$', '+4420', true],
  ['^[%d%*#]+$', '*97#', true],
  ['^a.-b', 'axxbyyb', true],
  ['^(%w+)@', 'bob@x', true],
])('Lua pattern %s on %s', (pattern, subject, matches) => {
  expect(luaPattern(pattern)?.test(subject)).toBe(matches);
});

test('Lua patterns not translated (%b, %f) are refused, not guessed', () => {
  expect(luaPattern('%b()')).toBeNull();
  expect(luaPattern('%f[%w]')).toBeNull();
});
