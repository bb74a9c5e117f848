/**
 * `pbxlint coverage` for Kamailio (src/coverage/kamailio.ts over the interpreter's observations,
 * resolvers/kamailio/observe.ts). Property: for random scripts and random Request-URI users, the
 * class a user falls in has the outcome route gives it; the classes are disjoint and cover the
 * universe (every string a SIP user part can carry).
 */
import * as fs from 'fs';
import * as path from 'path';
import { accepts, difference, intersect, isEmpty, unionAll } from '../src/automata/dfa';
import { coverEntry, DIALABLE_UNIVERSE, languageOfClass, PathRecorder } from '../src/coverage/partition';
import { kamailioCoverage, servedHosts } from '../src/coverage/kamailio';
import { describeDerived } from '../src/coverage/derive';
import { kamailioEngine } from '../src/engines/kamailio';
import type { KamailioModel } from '../src/model/kamailio';
import type { RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';
import { rng } from './helpers/re-match';

const HEAD = 'listen=udp:10.0.0.5:5060\nalias="pbx.example.com"\nloadmodule "sl.so"\nloadmodule "tm.so"\nloadmodule "registrar.so"\nloadmodule "usrloc.so"\nloadmodule "textops.so"\n';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function load(body: string): KamailioModel {
  const dir = writeTree({ 'kamailio.cfg': HEAD + body });
  dirs.push(dir);
  return kamailioEngine.load({ platform: 'kamailio', path: path.join(dir, 'kamailio.cfg') }, {} as never) as KamailioModel;
}

const labeller = { describe: () => ({ description: '' }) };
const noop = new PathRecorder();

function cover(model: KamailioModel, base: Partial<RouteRequest> = {}) {
  const entries = kamailioCoverage.entries(model, { base: { user: '', method: 'INVITE', ...base } });
  return entries.map((e) => ({ e, cov: coverEntry(kamailioCoverage, model, e, { maxClasses: 400 }, labeller) }));
}

function outcome(a: { verdict: string; status: number | null; target: { kind: string; name: string } | null; outcomes: { verdict: string; status: number | null; target: { kind: string; name: string } | null }[] }) {
  return JSON.stringify([a.verdict, a.status, a.target?.kind, a.target?.name, a.outcomes.map((o) => [o.verdict, o.status, o.target?.kind, o.target?.name])]);
}

/** Checks the property on one model with the given strings. */
const stats = { classes: 0, notModelled: 0, skipped: 0 };
function check(model: KamailioModel, strings: string[], base: Partial<RouteRequest> = {}): number {
  let n = 0;
  for (const { e, cov } of cover(model, base)) {
    const langs = cov.classes.map((c) => languageOfClass(c)!);
    stats.classes += cov.classes.length;
    stats.notModelled += cov.classes.filter((c) => c.notModelled?.length).length;
    if (process.env.SHOW_NM) for (const c of cov.classes) if (c.notModelled?.length) process.stdout.write(`NM ${c.notModelled.join(" ; ")}\n`);
    for (let i = 0; i < langs.length; i++) for (let j = i + 1; j < langs.length; j++) expect(isEmpty(intersect(langs[i], langs[j]))).toBe(true);
    expect(isEmpty(difference(DIALABLE_UNIVERSE, unionAll(langs)))).toBe(true);
    for (const s of strings) {
      const c = cov.classes.find((k) => accepts(languageOfClass(k)!, s));
      if (!c) throw new Error(`${s} is in no class`);
      if (c.notModelled?.length) {
        stats.skipped++;
        continue; // a class that says "not modelled" promises nothing more
      }
      const observed = kamailioCoverage.route(model, { ...e.request, user: s, observe: noop });
      const plain = kamailioCoverage.route(model, { ...e.request, user: s });
      const example = kamailioCoverage.route(model, { ...e.request, user: c.example, observe: noop });
      if (outcome(observed) !== outcome(example)) throw new Error(`${e.entry.name}: "${s}" gets ${outcome(observed)} but its class (example "${c.example}", /${c.regex}/) gets ${outcome(example)}`);
      expect([s, observed.verdict, observed.status]).toEqual([s, plain.verdict, plain.status]);
      expect([s, c.verdict, c.status]).toEqual([s, observed.verdict, observed.status]);
      n++;
    }
  }
  return n;
}

describe('coverage (Kamailio)', () => {
  it('maps a small script: emergency, E.164 after strip, 4-digit extensions, the rest', () => {
    const model = load(`request_route {
  if (uri != myself) { sl_send_reply("403", "Relaying forbidden"); exit; }
  if ($rU =~ "^911$") { t_relay_to_udp("10.0.0.9", "5060"); exit; }
  if ($rU =~ "^\\+?1[2-9][0-9]{9}$") { strip(1); route(PSTN); }
  if ($rU =~ "^[0-9]{4}$") { if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; } t_relay(); exit; }
  sl_send_reply("484", "Address Incomplete");
}
route[PSTN] { if ($rU == "12125551234") { sl_send_reply("403", "Blocked"); exit; } prefix("+"); t_relay_to_udp("10.0.0.10", "5060"); exit; }
`);
    const [local] = cover(model, { registered: ['1001'] });
    const byExample = Object.fromEntries(local.cov.classes.map((c) => [c.example, [c.verdict, c.status ?? c.target?.name]]));
    expect(byExample).toEqual({
      '': ['rejected', 484],
      '911': ['routed', '10.0.0.9:5060'],
      '0000': ['rejected', 404],
      '1001': ['routed', '<rU>'],
      '12000000000': ['routed', '10.0.0.10:5060'],
      '+12125551234': ['rejected', 403],
    });
    const ext = local.cov.classes.find((c) => c.example === '1001')!;
    expect(ext.regex).toBe('^(?:1001)$');
    expect(check(model, ['1001', '1002', '+12125551234', '12125551234', '+1212555123', '911', '9111', 'abc', ''], { registered: ['1001'] })).toBeGreaterThan(0);
    const other = cover(model).find((x) => x.e.entry.name.includes('not served'))!;
    expect(other.cov.classes.map((c) => [c.verdict, c.status])).toEqual([['rejected', 403]]);
    expect(other.cov.domains?.[0]).toMatchObject({ local: false, verdict: 'rejected', status: 403 });
  });

  it('says "not modelled" for a test it cannot express, with the reason', () => {
    const model = load('request_route { if ($(rU{s.tolower}) == "abc") { sl_send_reply("404", "NF"); exit; } sl_send_reply("200", "OK"); }');
    const [local] = cover(model);
    expect(local.cov.classes).toHaveLength(1);
    expect(local.cov.classes[0].verdict).toBe('depends');
    expect(local.cov.classes[0].notModelled?.join()).toMatch(/transformation \{s.tolower\}/);
  });

  it('subst_user on the dialled number: a match at both ends, at the start or at the end is a transduction', () => {
    const model = load(`request_route {
  if (subst_user('/^00/+/')) { if ($rU =~ "^\\+49") { sl_send_reply("403", "DE"); exit; } }
  if (subst_user('/^0([1-9][0-9]+)$/+49\\1/')) { if ($rU == "+4930") { sl_send_reply("486", "Busy"); exit; } t_relay_to_udp("10.0.0.9", "5060"); exit; }
  if (subst_user('/#$//')) { sl_send_reply("480", "hash"); exit; }
  if (subst_user('/^x*$/y/')) { sl_send_reply("481", "an empty match is no result"); exit; }
  sl_send_reply("404", "NF");
}
`);
    const [local] = cover(model);
    expect(local.cov.classes.filter((c) => c.notModelled?.length)).toEqual([]);
    const of = (u: string) => {
      const c = local.cov.classes.find((k) => accepts(languageOfClass(k)!, u))!;
      return [c.verdict, c.status ?? c.target?.name];
    };
    expect(['0049301', '0030', '030', '0301', '12#', '00#', '', 'xx', 'x1'].map(of)).toEqual([
      ['rejected', 403],
      ['rejected', 404],
      ['rejected', 486],
      ['routed', '10.0.0.9:5060'],
      ['rejected', 480],
      ['rejected', 480],
      ['rejected', 404],
      ['rejected', 481],
      ['rejected', 404],
    ]);
    expect(check(model, ['0049301', '0030', '030', '0301', '12#', '00#', '', 'x1', '1x', '0#', '00x', 'X1'])).toBeGreaterThan(0);
  });

  it('subst_user that is not a transduction read exactly is not modelled, with the reason', () => {
    const model = load(`request_route { if (subst_user('/1/2/')) { sl_send_reply("480", "x"); exit; } sl_send_reply("404", "NF"); }`);
    const [local] = cover(model);
    expect(local.cov.classes.map((c) => c.notModelled?.join())).toEqual([expect.stringMatching(/anchored at neither end/)]);
  });

  it('the length of the Request-URI ({s.len}), as the stock configuration tests it', () => {
    const model = load('request_route { if ($(ru{s.len}) > 24) { sl_send_reply("414", "Request-URI Too Long"); exit; } sl_send_reply("200", "OK"); }');
    const [local] = cover(model);
    // sip:<user>@10.0.0.5:5060 is 18 characters around the user: users of 7 characters or more are too long
    expect(local.cov.classes.map((c) => [c.example, c.verdict, c.status ?? c.target?.name])).toEqual([
      ['', 'routed', '200 OK'],
      ['0000000', 'rejected', 414],
    ]);
    const long = languageOfClass(local.cov.classes[1])!;
    expect(['123456', '1234567', '+12125551234'].map((u) => accepts(long, u))).toEqual([false, true, true]);
  });

  // Random scripts: tests on $rU/$ru/$var, strip/prefix/strip_tail, switch, lookup with a known registration list.
  const ATOMS = ['1', '2', '9', '0', '\\+', '[0-9]', '[2-9]', '.', 'a', '\\*'];
  function ere(r: () => number): string {
    let s = r() < 0.6 ? '^' : '';
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      s += ATOMS[Math.floor(r() * ATOMS.length)];
      const q = r();
      if (q < 0.15) s += '*';
      else if (q < 0.25) s += '?';
      else if (q < 0.35) s += `{${1 + Math.floor(r() * 3)}}`;
    }
    return r() < 0.6 ? `${s}$` : s;
  }
  /** A `/re/repl/flags` for subst_user: anchored at both ends, one end or neither, with groups the replacement may name. */
  function subst(r: () => number): string {
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const items: string[] = [];
    let groups = 0;
    for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) {
      const body = ere(r).replace(/^\^/, '').replace(/\$$/, '') || '1';
      if (r() < 0.5) {
        groups++;
        items.push(`(${body})`);
      } else items.push(body);
    }
    const anchor = r();
    const re = `${anchor < 0.75 ? '^' : ''}${items.join('')}${anchor < 0.4 || anchor >= 0.75 && anchor < 0.9 ? '$' : ''}`;
    const refs = ['\\\\0', ...Array.from({ length: groups }, (_, i) => `\\\\${i + 1}`)];
    const repl = pick(['', 'X', '+', '00', `${pick(refs)}`, `+${pick(refs)}`, `${pick(refs)}#`, `${pick(refs)}${pick(refs)}`]);
    return `/${re}/${repl}/${pick(['', '', 'i', 'g'])}`;
  }
  const LITS = ['1', '12', '911', '1001', '+1', '0', ''];
  function stmt(r: () => number, depth: number): string {
    const k = r();
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const action = () => pick(['sl_send_reply("404", "NF"); exit;', 'sl_send_reply("486", "Busy"); exit;', 't_relay(); exit;', 'route(R);', 'drop;', '']);
    const subject = pick(['$rU', '$rU', '$var(n)', 'uri', '$ru', '$tU', '$oU']);
    if (k < 0.25) return `if (${subject} =~ "${ere(r)}") { ${depth < 2 ? stmt(r, depth + 1) : ''} ${action()} }`;
    if (k < 0.35) return `if (${pick(['$rU', '$var(n)'])} ${pick(['==', '!=', 'eq'])} "${pick(LITS)}") { ${action()} }`;
    if (k < 0.4) return `if ($rU == ${pick(['0', '12', '911', '-1'])}) { ${action()} }`;
    if (k < 0.5) return pick(['strip(1);', 'strip(2);', 'strip_tail(1);', 'prefix("9");', 'prefix("+1");']);
    if (k < 0.55) return `$var(n) = ${pick(['$rU', '"x" + $rU', '$rU + "@"', '"1"'])};`;
    if (k < 0.6) return `$rU = ${pick(['"0" + $rU', '$rU + "#"', '"100"'])};`;
    if (k < 0.68) return `switch ($rU) { case "${pick(LITS)}": ${action()} break; case "1001": ${action()} break; default: ${action()} }`;
    if (k < 0.76) return `if (!lookup("location")) { ${action()} }`;
    if (k < 0.8) return 'revert_uri();';
    if (k < 0.86) return `if (${pick(['$(rU{s.len})', '$(ru{s.len})', '$(tU{s.len})'])} ${pick(['>', '<', '>=', '<=', '==', '!='])} ${pick(['3', '0', '1', '24', '"4"', '"x"'])}) { ${action()} }`;
    if (k < 0.88) return `$var(n) = $(rU{s.len}); if ($var(n) ${pick(['==', '>'])} 4) { ${action()} }`;
    if (k < 0.94) return r() < 0.6 ? `if (subst_user("${subst(r)}")) { ${action()} }` : `subst_user("${subst(r)}");`;
    return `if ($rU =~ "${ere(r)}" && $rU != "${pick(LITS)}") { ${action()} }`;
  }
  function script(r: () => number): string {
    const body = Array.from({ length: 2 + Math.floor(r() * 5) }, () => stmt(r, 0)).join('\n  ');
    return `request_route {\n  ${body}\n  sl_send_reply("484", "Incomplete");\n}\nroute[R] {\n  ${stmt(r, 1)}\n  t_relay();\n  exit;\n}\n`;
  }
  const CHARS = '0123456789+*a#B';
  function str(r: () => number): string {
    const n = Math.floor(r() * 13);
    let s = '';
    for (let i = 0; i < n; i++) s += CHARS[Math.floor(r() * CHARS.length)];
    return s;
  }

  it('the hosts not served are split by the script\'s tests on $rd: each string compared with, and each =~ pattern', () => {
    const model = load(`request_route {
  if ($rd == "xmpp.domain.com") { t_relay_to_udp("10.0.0.7", "5060"); exit; }
  if (uri != myself) {
    if ($rd =~ "\\.partner\\.net$") { t_relay_to_udp("10.0.0.8", "5060"); exit; }
    sl_send_reply("403", "Relaying forbidden"); exit;
  }
  if ($rd == "PBX.example.com") { sl_send_reply("480", "upper case"); exit; }
  sl_send_reply("404", "NF");
}
`);
    const covered = cover(model);
    const domainOf = (hp: string) => {
      const hits = covered.filter(({ cov }) => cov.domains?.some((d) => new RegExp(d.regex).test(hp)));
      expect(hits).toHaveLength(1);
      const { cov } = hits[0];
      return [cov.classes.length === 1 ? (cov.classes[0].notModelled?.length ? 'not modelled' : cov.classes[0].verdict) : 'split', cov.classes[0].status ?? cov.classes[0].target?.name];
    };
    expect(['xmpp.domain.com', 'XMPP.domain.com', 'gw.partner.net:5070', 'GW.PARTNER.NET', 'other.example', '10.0.0.5:5070', '10.0.0.5', 'pbx.example.com:5080'].map(domainOf)).toEqual([
      ['routed', '10.0.0.7:5060'],
      ['rejected', 403],
      ['routed', '10.0.0.8:5060'],
      ['routed', '10.0.0.8:5060'],
      ['rejected', 403],
      ['rejected', 403],
      ['rejected', 404],
      // the alias is served in every letter case, which the case-sensitive == tells apart
      ['not modelled', undefined],
    ]);
  });

  // Found by the coverage oracle against a real Kamailio (test/kamailio-coverage-oracle.test.ts).
  it('a quoted alias="host:port" is one name with a colon, which no Request-URI host equals: it serves no host (seed 41)', () => {
    const model = load(`alias="b.example.com:5099"
alias=c.example.com:5099
request_route {
  if (uri == myself) { sl_send_reply("404", "mine"); exit; }
  sl_send_reply("403", "not mine");
}
`);
    expect(servedHosts(model).map((s) => [s.host, s.ports])).toEqual(expect.arrayContaining([['c.example.com', [5099]]]));
    expect(servedHosts(model).some((s) => s.host.includes(':'))).toBe(false);
    const covered = cover(model);
    const owner = covered.filter(({ cov }) => cov.domains?.some((d) => new RegExp(d.regex).test('b.example.com:5099')));
    expect(owner).toHaveLength(1);
    expect(owner[0].cov.domains?.[0]).toMatchObject({ local: false, verdict: 'rejected', status: 403 });
    // route says the same for that host and port
    const a = kamailioCoverage.route(model, { ...owner[0].e.request, domain: 'b.example.com', port: 5099, domainClass: undefined, user: '1' });
    expect([a.verdict, a.status]).toEqual(['rejected', 403]);
  });

  it('a cell of hosts not served is simulated with a host parse_uri accepts (an alphanumeric first), not ".test" (seed 25)', () => {
    const model = load(`request_route {
  if ($rd =~ "\\.test$") { sl_send_reply("480", "test host"); exit; }
  sl_send_reply("403", "other");
}
`);
    const hosts = cover(model).map(({ e }) => e.request.domain ?? '');
    expect(hosts.every((h) => /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(h))).toBe(true);
    const testCell = cover(model).find(({ e }) => /\.test$/.test(e.request.domain ?? ''));
    expect(testCell?.cov.classes[0]).toMatchObject({ verdict: 'rejected', status: 480 });
  });

  it('route: a Request-URI host parse_uri refuses (".test", "-a", "a_b") leaves $rU and $rd null, as in Kamailio (seed 25)', () => {
    const model = load(`request_route {
  if ($rU == "*51") { sl_send_reply("480", "u=[$rU] d=[$rd]"); exit; }
  sl_send_reply("404", "u=[$rU] d=[$rd]");
}
`);
    const answer = (domain: string) => {
      const a = kamailioCoverage.route(model, { user: '*51', method: 'INVITE', domain });
      return [a.status, a.reason];
    };
    expect(['.test', '-a', 'a_b', '1a.test'].map(answer)).toEqual([
      [404, 'u=[<null>] d=[<null>]'],
      [404, 'u=[<null>] d=[<null>]'],
      [404, 'u=[<null>] d=[<null>]'],
      [480, 'u=[*51] d=[1a.test]'],
    ]);
  });

  it('a relay target cut past its added text names the cut on the whole value, exact for short numbers too (seed 150)', () => {
    // "+" + rU + "1", then strip(12): "33" gives "" (Kamailio strips what there is), not "1" as "<rU>[11:]1" said
    expect(describeDerived({ ops: [{ k: 'suffix', s: '1' }, { k: 'prefix', s: '+' }, { k: 'drop', n: 10 }, { k: 'drop', n: 2 }] }, 'rU')).toBe('(<rU>1)[11:]');
    expect(describeDerived({ ops: [{ k: 'prefix', s: '00' }, { k: 'dropTail', n: 3 }] }, 'rU')).toBe('(00<rU>)[:-3]');
    // the forms that were exact stay as they were
    expect(describeDerived({ ops: [{ k: 'prefix', s: '+' }, { k: 'drop', n: 3 }] }, 'rU')).toBe('<rU>[2:]');
    expect(describeDerived({ ops: [{ k: 'suffix', s: '#' }, { k: 'dropTail', n: 2 }, { k: 'prefix', s: '9' }] }, 'rU')).toBe('9<rU>[:-1]');
    const model = load(`request_route {
  $rU = $rU + "1";
  prefix("+");
  strip(12);
  rewritehostport("10.0.0.9:5060");
  t_relay();
  exit;
}
`);
    const local = cover(model).find(({ e }) => e.request.domain === '10.0.0.5')!;
    expect(local.cov.classes.map((c) => c.target?.name)).toEqual(['sip:(<rU>1)[11:]@10.0.0.9:5060']);
  });

  // Random tests on the Request-URI host: the domain map's classes split hosts exactly as the script does.
  const HOSTS = ['xmpp.example.org', 'PBX.example.com', 'pbx.example.com', '10.0.0.5', 'gw.partner.net', 'a.test'];
  const HOST_RES = ['partner\\.net$', '^gw\\.', '^10\\.', 'EXAMPLE', '\\.test$'];
  function hostStmt(r: () => number): string {
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const action = () => pick(['sl_send_reply("404", "NF"); exit;', 'sl_send_reply("403", "Forbidden"); exit;', 't_relay(); exit;', 'sl_send_reply("480", "TU"); exit;']);
    const k = r();
    if (k < 0.3) return `if ($rd ${pick(['==', '!=', 'eq'])} "${pick(HOSTS)}") { ${action()} }`;
    if (k < 0.55) return `if ($rd ${pick(['=~', '!~'])} "${pick(HOST_RES)}") { ${action()} }`;
    if (k < 0.7) return `if (${pick(['uri == myself', 'uri != myself'])}) { ${action()} }`;
    if (k < 0.8) return `switch ($rd) { case "${pick(HOSTS)}": ${action()} break; default: ${action()} }`;
    if (k < 0.85) return `$var(h) = $rd; if ($var(h) == "${pick(HOSTS)}") { ${action()} }`;
    if (k < 0.88) return `if ($(rd{s.tolower}) == "${pick(HOSTS)}") { ${action()} }`;
    if (k < 0.92) return `if (${pick(['$ru =~ "partner"', '$(ru{s.len}) > 30', 'uri =~ "@gw"'])}) { ${action()} }`;
    return stmt(r, 1);
  }

  it('property: random tests on $rd × random hosts — the host map\'s class of a host is simulated with a host that takes the same branches', () => {
    const r = rng(1414);
    const hostsToTry = [...HOSTS, 'XMPP.example.org', 'Gw.Partner.Net', 'pbx.example.com:5080', '10.0.0.5:5070', '10.0.0.5:5060', 'other.example', 'b.test:7', 'not-local.invalid', 'gw.x'];
    let compared = 0;
    let notModelled = 0;
    for (let k = 0; k < 25; k++) {
      const body = Array.from({ length: 2 + Math.floor(r() * 4) }, () => hostStmt(r)).join('\n  ');
      const text = `request_route {\n  ${body}\n  sl_send_reply("484", "Incomplete");\n}\nroute[R] {\n  t_relay();\n  exit;\n}\n`;
      const model = load(text);
      try {
        const covered = cover(model);
        for (const hp of hostsToTry) {
          const owners = covered.filter(({ cov }) => (cov.domains ?? []).some((d) => new RegExp(d.regex).test(hp)));
          expect([hp, owners.length]).toEqual([hp, 1]);
          const { e, cov } = owners[0];
          const [host, port] = hp.split(':');
          for (const u of ['', '1001', '+12125551234', 'abc']) {
            const c = cov.classes.find((x) => accepts(languageOfClass(x)!, u))!;
            if (c.notModelled?.length) {
              notModelled++;
              continue;
            }
            const a = kamailioCoverage.route(model, { ...e.request, domain: host, port: port ? Number(port) : undefined, domainClass: undefined, observe: undefined, user: u });
            expect([hp, u, c.verdict, c.status]).toEqual([hp, u, a.verdict, a.status]);
            compared++;
          }
        }
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- script:\n${text}`, { cause: err });
      }
    }
    expect(compared).toBeGreaterThan(500);
    process.stdout.write(`kamailio host map property: ${compared} host × user pairs compared, ${notModelled} in not-modelled classes\n`);
  });

  it('property: random scripts × random users — the class of a user has the outcome route gives it', () => {
    const r = rng(2014);
    let compared = 0;
    for (let k = 0; k < 40; k++) {
      const text = script(r);
      const model = load(text);
      const strings = Array.from({ length: 40 }, () => str(r)).concat(['911', '1001', '12', '+1212', '9911']);
      try {
        compared += check(model, strings, { registered: r() < 0.5 ? ['1001', '12'] : undefined, domain: r() < 0.5 ? '10.0.0.5' : undefined });
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- script:\n${text}`, { cause: e });
      }
    }
    expect(compared).toBeGreaterThan(1000);
    process.stdout.write(`kamailio coverage property: ${compared} users compared, ${stats.classes} classes (${stats.notModelled} not modelled), ${stats.skipped} users in not-modelled classes\n`);
  });
});
