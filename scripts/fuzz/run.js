#!/usr/bin/env node
'use strict';
/**
 * `npm run fuzz`: fast-check over every parser and simulator (scripts/fuzz/targets.js) with many
 * runs. `npm run fuzz -- --runs 1000000` drives a million inputs per target (hours on a laptop);
 * without it, 20,000 each. `--target asterisk` (repeatable) picks targets; `--seed N` replays a
 * run; `--budget MS` is the bound per input, in milliseconds of CPU (default 5000); `--time-limit S` stops each
 * target after S seconds and reports the inputs it ran; `--progress S` prints a line to stderr every
 * S seconds (default 300; 0: none). A failing input is printed
 * shrunk, with the seed and path to replay it: make it a fixture and fix the bug.
 * Needs the compiled code: `npm run build` first.
 */
const fc = require('fast-check');
const fs = require('fs');
const { targets, configProperty, patternProperties, scratchDir, forgetTree } = require('./targets');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', 20000));
const budget = Number(opt('budget', 5000));
const seed = opt('seed') === undefined ? undefined : Number(opt('seed'));
const timeLimit = opt('time-limit') === undefined ? undefined : Number(opt('time-limit')) * 1000;
const progressEvery = Number(opt('progress', 300)) * 1000;
const only = args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : []));
const pick = (name) => only.length === 0 || only.includes(name);

let failed = 0;
function run(name, property) {
  if (!pick(name)) return;
  const t = Date.now();
  const cpuBefore = process.cpuUsage();
  let inputs = 0;
  let lastReport = t;
  // Counts inputs (shrinking included) for the progress line: a million-input run takes hours.
  const progress = () => {
    inputs++;
    const now = Date.now();
    if (now - lastReport >= progressEvery) {
      lastReport = now;
      console.error(`… ${name}: ${inputs.toLocaleString('en-US')} inputs in ${((now - t) / 1000).toFixed(0)} s (${Math.round(inputs / ((now - t) / 1000)).toLocaleString('en-US')}/s)`);
    }
  };
  const result = fc.check(property, {
    numRuns: runs,
    seed,
    endOnFailure: false,
    plugins: progressEvery > 0 ? [fc.beforeEach(progress)] : [],
    ...(timeLimit ? { interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: false } : {}),
  });
  const s = (Date.now() - t) / 1000;
  // Inputs per CPU second too: on a shared machine the wall-clock rate says more about the load than the code.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = `${Math.round(result.numRuns / s).toLocaleString('en-US')}/s, ${Math.round(result.numRuns / cpuSeconds).toLocaleString('en-US')} per CPU-second`;
  if (result.failed) {
    failed++;
    const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    console.log(`✖ ${name}: ${result.numRuns} inputs, failed after shrinking (${s.toFixed(1)} s): ${error}\n${fc.defaultReportMessage(result)}\n`);
  } else console.log(`${result.interrupted ? '◐' : '✓'} ${name}: ${result.numRuns.toLocaleString('en-US')} inputs in ${s.toFixed(1)} s (${rate}), seed ${result.seed}${result.interrupted ? ` (stopped by --time-limit before ${runs.toLocaleString('en-US')})` : ''}`);
}

for (const target of targets()) {
  if (!pick(target.name)) continue;
  const dir = scratchDir(target.name);
  try {
    console.log(`${target.name}: ${target.seeds.length} seed files`);
    run(target.name, configProperty(target, dir, budget));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    forgetTree(dir);
  }
}
for (const [name, property] of Object.entries(patternProperties(budget))) run(name, property);
process.exitCode = failed ? 1 : 0;
