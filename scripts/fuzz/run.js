#!/usr/bin/env node
'use strict';
/**
 * `npm run fuzz`: fast-check over every parser and simulator (scripts/fuzz/targets.js) with many
 * runs. `npm run fuzz -- --runs 1000000` drives a million inputs per target (hours on a laptop);
 * without it, 20,000 each. `--target asterisk` (repeatable) picks targets; `--seed N` replays a
 * run; `--budget MS` is the time bound per input (default 5000). A failing input is printed
 * shrunk, with the seed and path to replay it: make it a fixture and fix the bug.
 * Needs the compiled code: `npm run build` first.
 */
const fc = require('fast-check');
const fs = require('fs');
const { targets, configProperty, patternProperties, scratchDir } = require('./targets');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', 20000));
const budget = Number(opt('budget', 5000));
const seed = opt('seed') === undefined ? undefined : Number(opt('seed'));
const only = args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : []));
const pick = (name) => only.length === 0 || only.includes(name);

let failed = 0;
function run(name, property) {
  if (!pick(name)) return;
  const t = Date.now();
  const result = fc.check(property, { numRuns: runs, seed, endOnFailure: false });
  const s = (Date.now() - t) / 1000;
  if (result.failed) {
    failed++;
    console.log(`✖ ${name}: ${result.numRuns} inputs, failed after shrinking (${s.toFixed(1)} s)\n${fc.defaultReportMessage(result)}\n`);
  } else console.log(`✓ ${name}: ${result.numRuns.toLocaleString('en-US')} inputs in ${s.toFixed(1)} s (${Math.round(result.numRuns / s).toLocaleString('en-US')}/s), seed ${result.seed}`);
}

for (const target of targets()) {
  if (!pick(target.name)) continue;
  const dir = scratchDir(target.name);
  try {
    console.log(`${target.name}: ${target.seeds.length} seed files`);
    run(target.name, configProperty(target, dir, budget));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
for (const [name, property] of Object.entries(patternProperties(budget))) run(name, property);
process.exitCode = failed ? 1 : 0;
