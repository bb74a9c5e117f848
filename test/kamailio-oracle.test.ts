/**
 * The Kamailio oracle: starts a real Kamailio (Debian package) on 127.0.0.1 with each fixture
 * config and Debian's stock /etc/kamailio/kamailio.cfg, sends real SIP over UDP, and checks that
 * every final status matches what `pbxlint route` predicts for the same request.
 * Skips with a note when kamailio is not installed (CI installs it: apt-get install -y kamailio).
 */
import * as fs from 'fs';
import { routeCommand } from '../src/route';
import type { RouteAnswer } from '../src/resolvers/types';
import { ORACLE_CONFIGS, type OracleCase, type OracleConfig } from './kamailio-oracle/cases';
import { kamailioBinary, startKamailio } from './kamailio-oracle/kamailio';
import { Downstream, SipClient, freeUdpPort, type Observation } from './kamailio-oracle/sip';

const bin = kamailioBinary();
/** How long a request waits for a final response or a relay; the cases that expect nothing wait this long. */
const WAIT_MS = 2500;

type Outcome = string; // "final 404", "relayed", "no reply", "depends"

/** `%2B1` → `+1` (RFC 3261 escapes in a URI user part). */
function unescape(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function observed(o: Observation, withReason?: boolean): Outcome {
  if (o.kind === 'final') return `final ${o.status}${withReason ? ` ${o.reason}` : ''}`;
  if (o.kind === 'relayed') return 'relayed';
  return 'no reply';
}

/**
 * What pbxlint's answer means on the wire: routed by a relay → the request reaches downstream;
 * routed by a 2xx reply (keepalive, REGISTER saved) → that status; rejected → its status, or no
 * reply at all when the script ended without one.
 */
function predicted(a: RouteAnswer, c: OracleCase, downstreamPort: number): Outcome {
  if (a.verdict === 'depends') return 'depends';
  if (a.verdict === 'rejected') return a.status === null ? 'no reply' : `final ${a.status}${c.reason ? ` ${a.reason}` : ''}`;
  const t = a.target;
  // Every relay in the scenarios goes to the downstream socket (directly or as the registered contact).
  if (t && t.kind === 'relay') return t.name.includes(`127.0.0.1:${downstreamPort}`) ? 'relayed' : `relayed to ${t.name}`;
  if (t && t.kind === 'location' && c.method.toUpperCase() !== 'REGISTER') return 'relayed';
  const code = /^([0-9]{3})\b/.exec(a.reason)?.[1] ?? (c.method.toUpperCase() === 'REGISTER' ? '200' : '2xx');
  return `final ${code}`;
}

interface Row {
  config: string;
  case: string;
  kamailio: Outcome;
  pbxlint: Outcome;
}

async function runConfig(cfg: OracleConfig, client: SipClient, down: Downstream, rows: Row[]): Promise<void> {
  const P = await freeUdpPort();
  const D = down.port;
  const prepared = cfg.setup?.(P, D);
  const defines = [...cfg.defines.map((d) => d.replace('{P}', String(P)).replace('{D}', String(D))), ...(prepared?.defines ?? [])];
  const kam = await startKamailio(bin!, { cfg: cfg.cfg, port: P, defines, listenArg: cfg.listenArg, extraArgs: cfg.extraArgs });
  const registered: string[] = [];
  try {
    for (const c of cfg.cases(P, D)) {
      const host = /@?([^@:;]+)(?::[0-9]+)?$/.exec(c.ruri.replace(/^sip:/, ''))?.[1] ?? '';
      // The core knows REGISTER in any case (parse_methods.c).
      const isRegister = c.method.toUpperCase() === 'REGISTER';
      const to = c.to ?? (isRegister ? `sip:${c.aorUser}@${host}` : undefined);
      const aorUser = c.aorUser ?? (to !== undefined ? (/^sips?:([^@;]*)@/.exec(to)?.[1] ?? '') : undefined);
      const fromUser = c.fromUser ?? (isRegister ? aorUser! : 'caller');
      const fromDomain = c.fromDomain ?? (isRegister ? host : 'caller.example.net');
      const answer = routeCommand(c.ruri, [cfg.cfg], {
        method: c.method,
        to,
        defines,
        myself: cfg.listenArg ? [`127.0.0.1:${P}`] : undefined,
        registered: [...registered],
        fromUser,
        fromDomain,
        sourceIp: '127.0.0.1', // every request of the test comes from 127.0.0.1
        userAgent: c.userAgent,
      }).answer;
      const obs = await client.send(
        {
          method: c.method,
          ruri: c.ruri,
          fromUser,
          fromDomain,
          to,
          contact: isRegister ? `sip:${aorUser}@127.0.0.1:${D}` : `sip:${fromUser}@127.0.0.1:${client.port}`,
          userAgent: c.userAgent,
        },
        P,
        down,
        WAIT_MS,
      );
      // usrloc keys the contact by the unescaped AOR (registrar common.c extract_aor un_escape).
      if (isRegister && obs.kind === 'final' && obs.status === 200) registered.push(cfg.useDomain ? `${unescape(aorUser!)}@${host}` : unescape(aorUser!));
      const seen = observed(obs, c.reason);
      const said = predicted(answer, c, D);
      if (process.env.PBXLINT_ORACLE_DEBUG) process.stderr.write(`${cfg.name} ${c.name}: ${seen} / ${said}\n`);
      rows.push({ config: cfg.name, case: `${c.method} ${c.ruri}${c.userAgent ? ` (UA ${c.userAgent})` : ''} — ${c.name}`, kamailio: seen, pbxlint: said });
    }
  } finally {
    await kam.stop();
    prepared?.cleanup();
  }
}

const describeOrSkip = bin ? describe : describe.skip;
if (!bin) {
   
  console.log('note: kamailio is not installed (apt-get install -y kamailio); the Kamailio oracle test is skipped');
}

describeOrSkip('pbxlint route agrees with a real Kamailio', () => {
  const rows: Row[] = [];

  beforeAll(async () => {
    const client = await SipClient.open();
    const down = await Downstream.open();
    try {
      for (const cfg of ORACLE_CONFIGS) {
        if (!fs.existsSync(cfg.cfg)) {
           
          console.log(`note: ${cfg.cfg} is absent; its oracle cases are skipped`);
          continue;
        }
        await runConfig(cfg, client, down, rows);
      }
    } finally {
      client.close();
      down.close();
    }
    const agree = rows.filter((r) => r.kamailio === r.pbxlint).length;
     
    console.log(
      `Kamailio oracle: ${agree}/${rows.length} cases agree\n` +
        rows.map((r) => `${r.kamailio === r.pbxlint ? 'ok  ' : 'DIFF'} [${r.config}] ${r.case}: kamailio=${r.kamailio} pbxlint=${r.pbxlint}`).join('\n'),
    );
  }, 110_000);

  it('covers at least 100 requests, 60 of them probes of the corners config', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => r.config === 'corners').length).toBeGreaterThanOrEqual(60);
  });

  it('predicts every final status', () => {
    const diffs = rows.filter((r) => r.kamailio !== r.pbxlint);
    expect(diffs).toEqual([]);
  });
});
