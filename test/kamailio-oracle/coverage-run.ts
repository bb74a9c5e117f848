/**
 * The coverage map of Kamailio (`pbxlint coverage`, src/coverage/kamailio.ts) checked against a
 * real Kamailio on the random oracle's scripts (random-config.ts, same seeds). For each script the
 * registrations are made as the route oracle makes them, then the map is computed with the same
 * request (INVITE from `caller`, the users that registered), and for every class of every entry
 * (each served host, each cell of hosts not served) Kamailio is sent the class's example plus a
 * few other members — random strings of the class's language and the generator's users that fall
 * in it — at that entry's host and port. Kamailio's reply status, or the Request-URI it relayed
 * (the class's relay target with the member as its user), must be the class's outcome, or one of a
 * `depends` class's outcomes. Classes marked not modelled are counted, not compared.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accepts, type Dfa } from '../../src/automata/dfa';
import { kamailioCoverage } from '../../src/coverage/kamailio';
import { languageOfClass } from '../../src/coverage/partition';
import { runCoverage } from '../../src/coverage/run';
import type { CoverageClass } from '../../src/coverage/types';
import { loadOneRoot } from '../../src/route';
import type { KamailioModel } from '../../src/model/kamailio';
import type { RouteRequest, RouteTarget } from '../../src/resolvers/types';
import { kamailioCheck, startKamailio } from './kamailio';
import { generateScenario, Rng, withPorts } from './random-config';
import { Downstream, SipClient, freeUdpPort, type Observation } from './sip';

const WAIT_MS = 1200;
/** Requests in flight at once (Kamailio runs 2 workers; UDP on loopback). */
const BATCH = 40;
/** Random members drawn per class besides its example and the generator's users in it. */
const SAMPLES = 3;
/** Characters the random walk draws: partition.ts DIALABLE_UNIVERSE, all fit for a SIP user part. */
const DIALABLE = '0123456789*#+abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface CoverageRow {
  seed: number;
  entry: string;
  cls: string;
  request: string;
  kamailio: string;
  map: string;
  agree: boolean;
}

export interface CoverageSeedResult {
  seed: number;
  cfg: string;
  refused: boolean;
  entries: number;
  classes: number;
  notModelled: number;
  rows: CoverageRow[];
}

/** States from which an accepting state is reachable over DIALABLE. */
function liveStates(d: Dfa): boolean[] {
  const live = Array.from({ length: d.nStates }, (_x, q) => d.accept[q] === 1);
  for (let changed = true; changed; ) {
    changed = false;
    for (let q = 0; q < d.nStates; q++) {
      if (live[q]) continue;
      for (let i = 0; i < DIALABLE.length; i++) {
        if (live[d.step(q, DIALABLE.charCodeAt(i))]) {
          live[q] = changed = true;
          break;
        }
      }
    }
  }
  return live;
}

/**
 * A random member of `d` (a random walk that only steps to states that can still accept, and stops
 * at an accepting state with probability 1/4, always past 20 characters), or null when it has none.
 */
export function sampleMember(d: Dfa, r: Rng, live = liveStates(d)): string | null {
  if (!live[0]) return null;
  let q = 0;
  let s = '';
  for (let guard = 0; guard < 200; guard++) {
    if (d.accept[q] === 1 && (s.length >= 20 || r.chance(0.25))) return s;
    const next: number[] = [];
    for (let i = 0; i < DIALABLE.length; i++) if (live[d.step(q, DIALABLE.charCodeAt(i))]) next.push(i);
    if (!next.length) return d.accept[q] === 1 ? s : null;
    const i = r.pick(next);
    s += DIALABLE[i];
    q = d.step(q, DIALABLE.charCodeAt(i));
  }
  return d.accept[q] === 1 ? s : null;
}

function observed(o: Observation): string {
  if (o.kind === 'final') return `final ${o.status}`;
  if (o.kind === 'relayed') return `relayed ${o.to.split(' ')[1]}`;
  return 'no reply';
}

type Outcome = { verdict: 'routed' | 'rejected'; status: number | null; target: RouteTarget | null };

/** An outcome as the wire shows it (statuses only: reason phrases may carry the dialled user). */
function wire(o: Outcome): string {
  if (o.verdict === 'rejected') return o.status === null ? 'no reply' : `final ${o.status}`;
  const t = o.target;
  if (t?.kind === 'relay' || t?.kind === 'location') return 'relayed';
  if (t?.kind === 'reply') return `final ${t.name.split(' ')[0]}`;
  return `routed ${t?.kind ?? '?'} ${t?.name ?? ''}`;
}

function outcomesOf(c: CoverageClass): Outcome[] {
  if (c.verdict !== 'depends') return [{ verdict: c.verdict, status: c.status, target: c.target }];
  return c.outcomes ?? [];
}

/**
 * The Request-URI a relay target names for the dialled `user`: the class's target is written with
 * the dialled user as `<rU>`, cut as `<rU>[head:-tail]` or `(…<rU>…)[head:-tail]` (a slice ending
 * at the value's ends; coverage/derive.ts describeDerived); an empty user leaves no `user@`
 * (Kamailio builds the URI without it). Null when the target names a value that cannot be rebuilt
 * from the user (`<part of the rU>`, `<computed from the rU>`).
 */
export function relayUri(template: string, user: string): string | null {
  if (/<(part of|computed from) the /.test(template)) return null;
  let i = 0;
  const slice = (v: string): string => {
    const m = /^\[(\d*):(-\d+)?\]/.exec(template.slice(i));
    if (!m) return v;
    i += m[0].length;
    const head = Number(m[1] || 0);
    return v.slice(head, m[2] ? Math.max(head, v.length + Number(m[2])) : undefined);
  };
  const seq = (close: boolean): string => {
    let out = '';
    while (i < template.length) {
      if (close && template[i] === ')') {
        i++;
        return out;
      }
      if (template.startsWith('<rU>', i)) {
        i += 4;
        out += slice(user);
      } else if (template[i] === '(') {
        i++;
        out += slice(seq(true));
      } else out += template[i++];
    }
    return out;
  };
  return seq(false).replace(/^(sips?:)@/, '$1');
}

/**
 * Whether Kamailio's answer is the class's (one of its outcomes): the same final status, no reply,
 * or a relay — for the example also to the Request-URI the class names (a relay's target), and a
 * lookup() relay to the registered contact.
 */
function agrees(c: CoverageClass, o: Observation, user: string, contacts: Map<string, string>): boolean {
  const got = observed(o);
  return outcomesOf(c).some((x) => {
    const w = wire(x);
    if (w !== 'relayed') return w === got;
    if (!got.startsWith('relayed ')) return false;
    const uri = got.slice('relayed '.length);
    if (x.target?.kind === 'location') return contacts.get(x.target.name) === undefined || contacts.get(x.target.name) === uri;
    const want = relayUri(x.target?.name ?? '', user);
    return want === null || want === uri;
  });
}

function describeClass(c: CoverageClass): string {
  const outs = outcomesOf(c).map((x) => `${wire(x)}${x.target ? ` (${x.target.kind} ${x.target.name})` : ''}`);
  return c.verdict === 'depends' ? `depends: ${outs.join(' | ')}` : outs[0];
}

function unescape(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export async function runSeedCoverage(bin: string, seed: number, client: SipClient, down: Downstream): Promise<CoverageSeedResult> {
  const sc = generateScenario(seed);
  const P = await freeUdpPort();
  const D = down.port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-kamcov-'));
  const cfgPath = path.join(dir, 'kamailio.cfg');
  const cfg = withPorts(sc.cfg, P, D);
  fs.writeFileSync(cfgPath, cfg);
  // PBXLINT_KAM_RANDOM_KEEP=<dir>: keep a copy of every generated config there, for reading a divergence.
  if (process.env.PBXLINT_KAM_RANDOM_KEEP) fs.writeFileSync(path.join(process.env.PBXLINT_KAM_RANDOM_KEEP, `seed-${seed}.cfg`), cfg);
  const result: CoverageSeedResult = { seed, cfg, refused: false, entries: 0, classes: 0, notModelled: 0, rows: [] };
  try {
    // A config Kamailio or pbxlint refuses has no map to compare (the route oracle compares the refusal).
    const model = loadOneRoot([cfgPath], { platform: 'kamailio' }) as KamailioModel;
    if (!kamailioCheck(bin, cfgPath, dir).ok || model.issues.some((i) => i.kind === 'parse-error')) {
      result.refused = true;
      return result;
    }
    let kam: Awaited<ReturnType<typeof startKamailio>>;
    try {
      kam = await startKamailio(bin, { cfg: cfgPath, port: P });
    } catch {
      result.refused = true;
      return result;
    }
    try {
      const registered: string[] = [];
      const contacts = new Map<string, string>();
      const useDomain = /modparam\("usrloc", "use_domain", 1\)/.test(cfg);
      for (const q of sc.registrations) {
        const contact = `sip:${q.aorUser}@127.0.0.1:${D}`;
        const obs = await client.send({ method: 'REGISTER', ruri: withPorts(q.ruri, P, D), fromUser: q.fromUser, fromDomain: 'caller.example.net', to: `sip:${q.aorUser}@127.0.0.1:${P}`, contact }, P, down, WAIT_MS);
        if (obs.kind === 'final' && obs.status === 200) {
          const key = useDomain ? `${unescape(q.aorUser!)}@127.0.0.1` : unescape(q.aorUser!);
          registered.push(key);
          contacts.set(key, contact);
        }
      }
      const base: RouteRequest = { user: '', method: 'INVITE', fromUser: 'caller', fromDomain: 'caller.example.net', sourceIp: '127.0.0.1', registered: [...registered] };
      // The entries' requests (host and port of each), then the map itself as the command makes it.
      const requests = kamailioCoverage.entries(model, { base }).map((e) => ({ name: e.entry.name, request: e.request }));
      const report = runCoverage('kamailio', kamailioCoverage, model, { base });
      if (report.entries.length !== requests.length) throw new Error(`seed ${seed}: ${report.entries.length} entries mapped, ${requests.length} listed`);
      const r = new Rng(seed * 7919 + 1);
      const users = [...new Set([...sc.requests, ...sc.registrations].map((q) => /^sip:([^@]*)@/.exec(withPorts(q.ruri, P, D))?.[1] ?? q.aorUser ?? '').filter((u) => u !== ''))];
      type Probe = { entry: string; cls: CoverageClass; user: string; ruri: string };
      const probes: Probe[] = [];
      report.entries.forEach((e, i) => {
        const { request } = requests[i];
        const hostPort = `${request.domain ?? '127.0.0.1'}${request.port !== undefined ? `:${request.port}` : ''}`;
        result.entries++;
        for (const c of e.classes) {
          result.classes++;
          if (c.notModelled?.length) {
            result.notModelled++;
            continue;
          }
          const lang = languageOfClass(c)!;
          const members = new Set<string>([c.example]);
          const live = liveStates(lang);
          for (let k = 0; k < SAMPLES; k++) {
            const m = sampleMember(lang, r, live);
            if (m !== null) members.add(m);
          }
          for (const u of users) if (members.size < SAMPLES + 3 && accepts(lang, u)) members.add(u);
          for (const u of members) {
            const ruri = u === '' ? `sip:${hostPort}` : `sip:${u}@${hostPort}`;
            probes.push({ entry: e.entry.name, cls: c, user: u, ruri });
          }
        }
      });
      for (let i = 0; i < probes.length; i += BATCH) {
        const batch = probes.slice(i, i + BATCH);
        const obs = await Promise.all(batch.map((p) => client.send({ method: 'INVITE', ruri: p.ruri, fromUser: 'caller', fromDomain: 'caller.example.net', contact: `sip:caller@127.0.0.1:${client.port}` }, P, down, WAIT_MS)));
        batch.forEach((p, j) => {
          const ok = agrees(p.cls, obs[j], p.user, contacts);
          result.rows.push({ seed, entry: p.entry, cls: `/${p.cls.regex}/ (example ${JSON.stringify(p.cls.example)})`, request: `INVITE ${p.ruri}`, kamailio: observed(obs[j]), map: describeClass(p.cls), agree: ok });
        });
      }
    } finally {
      await kam.stop();
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

