/**
 * Fuzzing smoke (issue 18): a few hundred mutated configurations per parser and simulator, and
 * random patterns through the regular-expression engines, each ending in findings or a route
 * answer with real positions, within a time bound, never in an exception (scripts/fuzz/targets.js).
 * `npm run fuzz` runs the same properties with many more inputs. Runs the compiled code (dist/).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';

const built = fs.existsSync(path.resolve(__dirname, '../dist/src/lint.js'));
const fuzz = built ? (require('../scripts/fuzz/targets') as typeof import('../scripts/fuzz/targets')) : undefined;
if (!built) console.log('note: dist/ is not built (npm run build); fuzz smoke skipped');
const maybe = built ? test : test.skip;

// Fixed seeds: the smoke is the same run every time (npm run fuzz explores new ones).
const RUNS = 150;
const BUDGET_MS = 10000;

for (const name of ['asterisk', 'kamailio', 'freeswitch']) {
  maybe(`${name}: mutated configurations end in positioned findings and route answers`, () => {
    const target = fuzz!.targets({ corpus: false }).find((t) => t.name === name)!;
    expect(target.seeds.length).toBeGreaterThan(0);
    const dir = fuzz!.scratchDir(name);
    try {
      fc.assert(fuzz!.configProperty(target, dir, BUDGET_MS), { numRuns: RUNS, seed: 18 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fuzz!.forgetTree(dir);
    }
  });
}

maybe('pattern engines (FreeSWITCH PCRE, Kamailio ERE, Asterisk patterns) answer random patterns within their budgets', () => {
  for (const property of Object.values(fuzz!.patternProperties(BUDGET_MS))) fc.assert(property, { numRuns: 500, seed: 18 });
});

const REGRESSIONS = path.resolve(__dirname, '../fixtures/fuzz');
maybe('inputs fuzzing found failing (fixtures/fuzz) now end in positioned findings', () => {
  const { findRoots } = require('../src/engines') as typeof import('../src/engines');
  const { roots } = findRoots([REGRESSIONS]);
  expect(roots.length).toBeGreaterThan(0);
  for (const root of roots) {
    const target = fuzz!.targets({ corpus: false }).find((t) => t.name === root.platform)!;
    fuzz!.lintAndRoute(root, target.requests, BUDGET_MS);
  }
});
