/**
 * The randomised Kamailio oracle: seeded random kamailio.cfg scripts and requests
 * (test/kamailio-oracle/random-config.ts), each run in a real Kamailio on 127.0.0.1 and through
 * `pbxlint route`; every reply status and reason phrase, every Request-URI relayed, and every
 * `kamailio -c` refusal must agree. A fixed, small set of seeds runs here; long runs:
 * `npm run oracle:kamailio -- --seeds 200 [--first N]`.
 * Skips with a note when kamailio is not installed (CI installs it: apt-get install -y kamailio).
 */
import { kamailioBinary } from './kamailio-oracle/kamailio';
import { runSeed, type RandomRow, type SeedResult } from './kamailio-oracle/random-run';
import { Downstream, SipClient } from './kamailio-oracle/sip';

const bin = kamailioBinary();
const FIRST = Number(process.env.PBXLINT_KAM_RANDOM_FIRST ?? 1);
const SEEDS = Number(process.env.PBXLINT_KAM_RANDOM_SEEDS ?? 10);

const describeOrSkip = bin ? describe : describe.skip;
if (!bin) {
  console.log('note: kamailio is not installed (apt-get install -y kamailio); the randomised Kamailio oracle test is skipped');
}

describeOrSkip('pbxlint route agrees with a real Kamailio on random scripts', () => {
  const results: SeedResult[] = [];

  beforeAll(async () => {
    const client = await SipClient.open();
    const down = await Downstream.open();
    try {
      for (let seed = FIRST; seed < FIRST + SEEDS; seed++) results.push(await runSeed(bin!, seed, client, down));
    } finally {
      client.close();
      down.close();
    }
    const rows = results.flatMap((r) => r.rows);
    const diffs = rows.filter((r) => r.kamailio !== r.pbxlint);
    const refused = results.filter((r) => r.refused).length;
    const bad = new Set(diffs.map((d) => d.seed));
    console.log(
      `Kamailio random oracle: seeds ${FIRST}..${FIRST + SEEDS - 1}, ${refused} configs refused by kamailio -c, ` +
        `${rows.length} comparisons, ${rows.length - diffs.length} agree\n` +
        diffs.map((d) => `DIFF seed ${d.seed} ${d.request}: kamailio=${d.kamailio} pbxlint=${d.pbxlint}`).join('\n') +
        (process.env.PBXLINT_KAM_RANDOM_SHOW ? `\n${results.filter((r) => bad.has(r.seed)).map((r) => `--- seed ${r.seed}\n${r.cfg}`).join('\n')}` : ''),
    );
  }, Number(process.env.PBXLINT_KAM_RANDOM_TIMEOUT ?? 600_000) + SEEDS * 10_000);

  it('runs requests', () => {
    expect(results.flatMap((r) => r.rows).length).toBeGreaterThanOrEqual(SEEDS);
  });

  it('predicts every reply, relay and config refusal', () => {
    const diffs: RandomRow[] = results.flatMap((r) => r.rows).filter((r) => r.kamailio !== r.pbxlint);
    expect(diffs).toEqual([]);
  });
});
