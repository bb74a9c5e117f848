/**
 * The Kamailio coverage map against a real Kamailio (test/kamailio-oracle/coverage-run.ts): the
 * random oracle's scripts (same generator, same seeds); for every class of every entry of
 * `pbxlint coverage`, its example and a few other members are sent to Kamailio at the entry's host,
 * and the reply (or relay) must be the class's outcome. A small fixed set of seeds runs here; long
 * runs: `npm run oracle:kamailio -- --coverage --seeds 200 [--first N]`.
 * Skips with a note when kamailio is not installed (CI installs it: apt-get install -y kamailio).
 */
import { kamailioBinary } from './kamailio-oracle/kamailio';
import { runSeedCoverage, type CoverageSeedResult } from './kamailio-oracle/coverage-run';
import { Downstream, SipClient } from './kamailio-oracle/sip';

const bin = kamailioBinary();
const FIRST = Number(process.env.PBXLINT_KAM_COVERAGE_FIRST ?? 1);
const SEEDS = Number(process.env.PBXLINT_KAM_COVERAGE_SEEDS ?? 5);

const describeOrSkip = bin ? describe : describe.skip;
if (!bin) {
  console.log('note: kamailio is not installed (apt-get install -y kamailio); the Kamailio coverage oracle test is skipped');
}

describeOrSkip('the Kamailio coverage map agrees with a real Kamailio on random scripts', () => {
  const results: CoverageSeedResult[] = [];

  beforeAll(async () => {
    const client = await SipClient.open();
    const down = await Downstream.open();
    try {
      for (let seed = FIRST; seed < FIRST + SEEDS; seed++) results.push(await runSeedCoverage(bin!, seed, client, down));
    } finally {
      client.close();
      down.close();
    }
    const rows = results.flatMap((r) => r.rows);
    const diffs = rows.filter((r) => !r.agree);
    const sum = (f: (r: CoverageSeedResult) => number) => results.reduce((n, r) => n + f(r), 0);
    const bad = new Set(diffs.map((d) => d.seed));
    console.log(
      `Kamailio coverage oracle: seeds ${FIRST}..${FIRST + SEEDS - 1}, ${results.filter((r) => r.refused).length} configs refused, ` +
        `${sum((r) => r.entries)} entries, ${sum((r) => r.classes)} classes (${sum((r) => r.notModelled)} not modelled, not compared), ` +
        `${rows.length} requests compared, ${rows.length - diffs.length} agree\n` +
        diffs.map((d) => `DIFF seed ${d.seed} ${d.entry} ${d.cls} ${d.request}: kamailio=${d.kamailio} map=${d.map}`).join('\n') +
        (process.env.PBXLINT_KAM_RANDOM_SHOW ? `\n${results.filter((r) => bad.has(r.seed)).map((r) => `--- seed ${r.seed}\n${r.cfg}`).join('\n')}` : ''),
    );
  }, Number(process.env.PBXLINT_KAM_RANDOM_TIMEOUT ?? 600_000) + SEEDS * 20_000);

  it('compares requests', () => {
    expect(results.flatMap((r) => r.rows).length).toBeGreaterThan(0);
  });

  it('every class gets from Kamailio the outcome the map gives it', () => {
    expect(results.flatMap((r) => r.rows).filter((r) => !r.agree)).toEqual([]);
  });
});
