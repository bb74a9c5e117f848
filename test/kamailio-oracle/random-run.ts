/**
 * Runs one generated scenario (random-config.ts) in a real Kamailio and through `pbxlint route`,
 * and returns one row per request: what Kamailio answered (status and reason phrase, or the
 * Request-URI the downstream socket received for a relay, or nothing) and what pbxlint predicts.
 * A config `kamailio -c` refuses is not run: it gives one row comparing that refusal with whether
 * pbxlint reports a parse error for it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { routeCommand } from '../../src/route';
import type { RouteAnswer } from '../../src/resolvers/types';
import { kamailioCheck, startKamailio } from './kamailio';
import { generateScenario, withPorts, type RandomRequest } from './random-config';
import { Downstream, SipClient, freeUdpPort, type Observation } from './sip';

/** How long a request waits for a final response or a relay (all of a scenario's requests wait together). */
const WAIT_MS = 1200;

export interface RandomRow {
  seed: number;
  request: string;
  kamailio: string;
  pbxlint: string;
}

export interface SeedResult {
  seed: number;
  /** The config as run (ports filled in), for the report of a divergence. */
  cfg: string;
  rows: RandomRow[];
  /** `kamailio -c` refused the config (and so did pbxlint, or the row says it did not). */
  refused: boolean;
}

function unescape(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function observed(o: Observation): string {
  if (o.kind === 'final') return `final ${o.status} ${o.reason}`;
  if (o.kind === 'relayed') return `relayed ${o.to.split(' ')[1]}`;
  return 'no reply';
}

/**
 * pbxlint's answer as the wire shows it: a reply's status and reason; a relay (every relay of the
 * generated scripts goes to the downstream socket) as the Request-URI sent; a lookup() relay as the
 * registered contact; a path ending without a reply as no reply.
 */
function predicted(a: RouteAnswer, contacts: Map<string, string>): string {
  if (a.verdict === 'depends') return `depends: ${a.outcomes.map((o) => `${o.status ?? o.target?.name} [${o.conditions.join('; ')}]`).join(' | ')}`;
  if (a.verdict === 'rejected') return a.status === null ? 'no reply' : `final ${a.status} ${a.reason}`;
  const t = a.target;
  if (t && t.kind === 'relay') return `relayed ${t.name}`;
  if (t && t.kind === 'location') return `relayed ${contacts.get(t.name) ?? `contact of ${t.name}`}`;
  const m = /^([0-9]{3}) ?(.*)$/.exec(a.reason);
  return m ? `final ${m[1]} ${m[2]}` : `final ? ${a.reason}`;
}

export async function runSeed(bin: string, seed: number, client: SipClient, down: Downstream): Promise<SeedResult> {
  const sc = generateScenario(seed);
  const P = await freeUdpPort();
  const D = down.port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-kamrand-'));
  const cfgPath = path.join(dir, 'kamailio.cfg');
  const cfg = withPorts(sc.cfg, P, D);
  fs.writeFileSync(cfgPath, cfg);
  // PBXLINT_KAM_RANDOM_KEEP=<dir>: keep a copy of every generated config there, for reading a divergence.
  if (process.env.PBXLINT_KAM_RANDOM_KEEP) fs.writeFileSync(path.join(process.env.PBXLINT_KAM_RANDOM_KEEP, `seed-${seed}.cfg`), cfg);
  const rows: RandomRow[] = [];
  try {
    const check = kamailioCheck(bin, cfgPath, dir);
    const probe = routeCommand(`sip:x@127.0.0.1:${P}`, [cfgPath], { platform: 'kamailio', fromUser: 'caller' });
    const parseErrors = probe.model.issues.filter((i) => i.kind === 'parse-error');
    if (!check.ok) {
      const kam = check.ok ? 'accepted' : `refused: ${(/ERROR[^\n]*/.exec(check.output)?.[0] ?? check.output.slice(-200)).trim()}`;
      const pbx = parseErrors.length ? `parse error: ${parseErrors[0].message} (line ${parseErrors[0].location.line})` : 'accepted';
      rows.push({ seed, request: 'kamailio -c', kamailio: check.ok ? 'accepted' : 'refused', pbxlint: parseErrors.length ? 'refused' : 'accepted' });
      if (check.ok !== (parseErrors.length === 0)) rows[0].request = `kamailio -c (${kam}; pbxlint ${pbx})`;
      return { seed, cfg: `${cfg}\n# kamailio -c:\n${check.output.split('\n').filter((l) => /ERROR|CRITICAL/.test(l)).slice(0, 6).join('\n')}`, rows, refused: true };
    }
    let kam: Awaited<ReturnType<typeof startKamailio>>;
    try {
      kam = await startKamailio(bin, { cfg: cfgPath, port: P });
    } catch (e) {
      // `kamailio -c` passed but the module fixups at start-up refused the config (a bad subst
      // expression, …): pbxlint should report it too.
      const why = (e as Error).message.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 2).join(' / ');
      rows.push({ seed, request: parseErrors.length ? 'kamailio start-up' : `kamailio start-up (${why.trim()})`, kamailio: 'refused', pbxlint: parseErrors.length ? 'refused' : 'accepted' });
      return { seed, cfg: `${cfg}\n# start-up:\n${(e as Error).message.slice(-1500)}`, rows, refused: true };
    }
    if (parseErrors.length) {
      await kam.stop();
      rows.push({ seed, request: `kamailio start-up (pbxlint parse error: ${parseErrors[0].message}, line ${parseErrors[0].location.line})`, kamailio: 'accepted', pbxlint: 'refused' });
      return { seed, cfg, rows, refused: true };
    }
    try {
      const registered: string[] = [];
      const contacts = new Map<string, string>();
      const useDomain = /modparam\("usrloc", "use_domain", 1\)/.test(cfg);
      const send = (q: RandomRequest, to?: string, contact?: string) =>
        client.send({ method: q.method, ruri: withPorts(q.ruri, P, D), fromUser: q.fromUser, fromDomain: 'caller.example.net', to, contact: contact ?? `sip:${q.fromUser}@127.0.0.1:${client.port}` }, P, down, WAIT_MS);
      for (const q of sc.registrations) {
        const host = '127.0.0.1';
        const contact = `sip:${q.aorUser}@127.0.0.1:${D}`;
        const obs = await send(q, `sip:${q.aorUser}@${host}:${P}`, contact);
        if (obs.kind === 'final' && obs.status === 200) {
          const key = useDomain ? `${unescape(q.aorUser!)}@${host}` : unescape(q.aorUser!);
          registered.push(key);
          contacts.set(key, contact);
        }
      }
      const observations = await Promise.all(sc.requests.map((q) => send(q)));
      sc.requests.forEach((q, i) => {
        const ruri = withPorts(q.ruri, P, D);
        let said: string;
        try {
          const answer = routeCommand(ruri, [cfgPath], {
            platform: 'kamailio',
            method: q.method,
            registered: [...registered],
            fromUser: q.fromUser,
            fromDomain: 'caller.example.net',
            sourceIp: '127.0.0.1',
          }).answer;
          said = predicted(answer, contacts);
        } catch (e) {
          said = `error: ${(e as Error).message.split('\n')[0]}`;
        }
        rows.push({ seed, request: `${q.method} ${ruri} (From ${q.fromUser})`, kamailio: observed(observations[i]), pbxlint: said });
      });
    } finally {
      await kam.stop();
    }
    return { seed, cfg, rows, refused: false };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
