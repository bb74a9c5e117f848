#!/usr/bin/env node
/**
 * Long runs of the randomised Kamailio oracle (test/kamailio-random-oracle.test.ts) on this
 * machine: `npm run oracle:kamailio -- --seeds 200 [--first 1] [--keep DIR] [--show] [--coverage]`.
 * --keep DIR writes every generated config there (seed-N.cfg); --show prints the configs of the
 * seeds that diverge; --coverage checks the coverage map instead of route on the same scripts
 * (test/kamailio-coverage-oracle.test.ts: every class's example and a few other members sent to
 * Kamailio). Needs kamailio installed (apt-get install -y kamailio).
 */
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const seeds = Number(opt('seeds', '200'));
const first = Number(opt('first', '1'));
if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(first)) {
  console.error('usage: npm run oracle:kamailio -- --seeds N [--first N] [--keep DIR] [--show] [--coverage]');
  process.exit(2);
}
const coverage = args.includes('--coverage');
const env = coverage
  ? { ...process.env, PBXLINT_KAM_COVERAGE_SEEDS: String(seeds), PBXLINT_KAM_COVERAGE_FIRST: String(first) }
  : { ...process.env, PBXLINT_KAM_RANDOM_SEEDS: String(seeds), PBXLINT_KAM_RANDOM_FIRST: String(first) };
const keep = opt('keep', undefined);
if (keep) env.PBXLINT_KAM_RANDOM_KEEP = path.resolve(keep);
if (args.includes('--show')) env.PBXLINT_KAM_RANDOM_SHOW = '1';
const root = path.resolve(__dirname, '..');
const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--testTimeout', String(600000 + seeds * 20000), coverage ? 'test/kamailio-coverage-oracle.test.ts' : 'test/kamailio-random-oracle.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
