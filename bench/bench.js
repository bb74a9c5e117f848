'use strict';
/**
 * `npm run bench`: prints figures for a generated dialplan of 50,000 extensions (about 6 MB).
 * - parse throughput (extensions.conf + pjsip.conf into the model), MB/s, and with the resolver's
 *   dialplan index (registration order, built on the first query) included;
 * - in-process route queries per second (full simulations through the resolver);
 * - peak memory of the loading process (RSS high-water mark less Node's own RSS before loading)
 *   against the input size, and the same for a whole `pbxlint lint` run;
 * - a cold `pbxlint lint` of the directory beside a bare `node -e 0`, in the same run;
 * - the "many findings" input (issue 18): the same 50,000 extensions with 10,000 endpoints, where
 *   40,000 Dial() lines name endpoints that do not exist: cold lint with JSON output, peak memory.
 * Targets (issue #2): ≥ 20 MB/s; ≥ 500,000 route queries/s; peak memory < 10× input; cold lint ≤ 8× node start.
 * - 200 configuration roots (one per customer, 300–600 extensions each, half with findings) linted
 *   in one run serially and on worker threads (src/parallel.ts), with the outputs compared.
 * Targets (issue 18): cold lint of both inputs, JSON output, ≤ 8× node start; peak memory < 10× input.
 * `npm run bench -- --big` adds a 40 MB dialplan (330,000 DIDs, about 1 million priority lines;
 * slow, hence the flag): peak RSS against the input (target < 5×) and time per MB beside the 50k's.
 * - `pbxlint coverage` of every entry point of the 50,000-extension dialplan (issue 14), in-process,
 *   and of a FreeSWITCH public context of 10,000 literal DID extensions;
 *   target (issue 14): under 1 s.
 */
const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');
const { generate, generateFreeswitch } = require('./generate');

const root = path.resolve(__dirname, '..');
const dir = path.join(os.tmpdir(), `pbxlint-bench-${process.pid}`);
const { bytes, count } = generate(dir, 50000);
const mb = bytes / 1e6;
const manyDir = path.join(os.tmpdir(), `pbxlint-bench-many-${process.pid}`);
const many = generate(manyDir, 50000, { missingEndpoints: true });

function child(code) {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// Parse throughput and peak memory, measured in a fresh process.
const parse = child(`
  const { loadAsterisk } = require('./dist/src/parsers/asterisk');
  const { dialplanIndex } = require('./dist/src/resolvers/asterisk/dialplan-index');
  loadAsterisk(${JSON.stringify(dir)}); // warm-up (JIT)
  global.gc();
  const times = [];
  let model;
  const withIndex = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    model = loadAsterisk(${JSON.stringify(dir)});
    const t1 = process.hrtime.bigint();
    dialplanIndex(model);
    const t2 = process.hrtime.bigint();
    times.push(Number(t1 - t) / 1e6);
    withIndex.push(Number(t2 - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  withIndex.sort((a, b) => a - b);
  console.log(JSON.stringify({ ms: times[2], withIndex: withIndex[2] }));
`);

// Peak memory of one cold load (fresh process, load + index once), with the young generation
// the CLI sets (src/core/heap.ts).
const memory = child(`
  require('./dist/src/core/heap').keepYoungGenerationSmall();
  const { loadAsterisk } = require('./dist/src/parsers/asterisk');
  const { dialplanIndex } = require('./dist/src/resolvers/asterisk/dialplan-index');
  global.gc();
  const base = process.memoryUsage();
  const model = loadAsterisk(${JSON.stringify(dir)});
  dialplanIndex(model);
  global.gc();
  const after = process.memoryUsage();
  console.log(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024, baseRss: base.rss, retainedHeap: after.heapUsed - base.heapUsed }));
`);

// Peak memory of a whole `pbxlint lint` run (rules build every priority line, the JSON report is
// written to /dev/null as the command writes it), in a fresh process.
function lintPeak(target) {
  return child(`
  require('./dist/src/core/heap').keepYoungGenerationSmall(); // as bin/pbxlint.js does
  require('./dist/src/core/compile-cache').useCompileCache(); // likewise (its file is read as modules load)
  const base = process.memoryUsage().rss;
  const { main } = require('./dist/src/cli.js');
  main(['lint', ${JSON.stringify(target)}, '--format', 'json', '-o', '/dev/null']).then(() => {
    console.log(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024, baseRss: base }));
  });
`);
}
const lintMemory = lintPeak(dir);
const manyMemory = lintPeak(manyDir);

// Route queries per second on the loaded model.
const routes = child(`
  const { loadAsterisk } = require('./dist/src/parsers/asterisk');
  const { asteriskResolver } = require('./dist/src/resolvers/asterisk');
  const model = loadAsterisk(${JSON.stringify(dir)});
  const numbers = [];
  for (let i = 0; i < 4096; i++) numbers.push(String(2025500000 + ((i * 7919) % ${count})));
  numbers.push('+12025550100', '9999', '12025550123');
  const reqs = numbers.map((user) => ({ user, method: 'INVITE', endpoint: 'trunk', registered: ['ep1'] }));
  for (let i = 0; i < 20000; i++) asteriskResolver.route(model, reqs[i % reqs.length]);
  // Five half-second windows, reported as their median and range: this shared machine's speed
  // moves within seconds, and one window alone says more about the neighbours than about pbxlint.
  const windows = [];
  let n = 0;
  for (let w = 0; w < 5; w++) {
    const t = process.hrtime.bigint();
    let q = 0;
    while (Number(process.hrtime.bigint() - t) < 5e8) { for (let k = 0; k < 1000; k++) asteriskResolver.route(model, reqs[(n + k) % reqs.length]); n += 1000; q += 1000; }
    windows.push(q / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  windows.sort((a, b) => a - b);
  // The same simulations over a few numbers asked again and again: what the simulation itself
  // costs once the extensions it reads are in the CPU caches (the mix above also waits on memory).
  const hot = reqs.slice(0, 64);
  const th = process.hrtime.bigint();
  let h = 0;
  while (Number(process.hrtime.bigint() - th) < 1e9) { for (let k = 0; k < 1000; k++) asteriskResolver.route(model, hot[(h + k) % hot.length]); h += 1000; }
  const hotQps = h / (Number(process.hrtime.bigint() - th) / 1e9);
  // The lookup alone (pbx_find_extension: which extension a number reaches), without the simulation.
  const { findExtension } = require('./dist/src/resolvers/asterisk/find');
  const t2 = process.hrtime.bigint();
  let m = 0;
  while (Number(process.hrtime.bigint() - t2) < 1e9) { for (let k = 0; k < 1000; k++) findExtension(model, { context: 'from-trunk', exten: reqs[(m + k) % reqs.length].user, priority: 1, mode: 'match' }); m += 1000; }
  console.log(JSON.stringify({ qps: windows[2], qpsMin: windows[0], qpsMax: windows[4], hotQps, lookups: m / (Number(process.hrtime.bigint() - t2) / 1e9) }));
`);

// `pbxlint coverage` of every entry point (issue 14): the whole number map of the 50,000-extension
// dialplan, in-process on the loaded model (load and index not counted), in a fresh process.
const coverage = child(`
  const { loadAsterisk } = require('./dist/src/parsers/asterisk');
  const { dialplanIndex } = require('./dist/src/resolvers/asterisk/dialplan-index');
  const { runCoverage } = require('./dist/src/coverage/run');
  const { asteriskCoverage } = require('./dist/src/coverage/asterisk');
  const model = loadAsterisk(${JSON.stringify(dir)});
  dialplanIndex(model);
  const t = process.hrtime.bigint();
  const report = runCoverage('asterisk', asteriskCoverage, model, { base: { user: '', method: 'INVITE' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms, entries: report.entries.length, classes: report.entries.reduce((n, e) => n + e.classes.length, 0) }));
`);

// The same for FreeSWITCH: a public context of 10,000 DID extensions, each its own literal
// condition (as FusionPBX writes them), mapped in-process on the loaded model.
const fsDir = path.join(os.tmpdir(), `pbxlint-bench-fs-${process.pid}`);
generateFreeswitch(fsDir, 10000);
const fsCoverage = child(`
  const { loadFreeswitch } = require('./dist/src/parsers/freeswitch');
  const { runCoverage } = require('./dist/src/coverage/run');
  const { freeswitchCoverage } = require('./dist/src/coverage/freeswitch');
  const model = loadFreeswitch(${JSON.stringify(fsDir)}, {});
  const t = process.hrtime.bigint();
  const report = runCoverage('freeswitch', freeswitchCoverage, model, { base: { user: '', method: 'INVITE' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms, entries: report.entries.length, classes: report.entries.reduce((n, e) => n + e.classes.length, 0) }));
`);
require('fs').rmSync(fsDir, { recursive: true, force: true });

// Cold CLI runs, taken in turn with bare node starts (seven rounds of: node -e 0, the 50k lint,
// the example lint), each figure the median of its seven: this shared machine has slow periods
// lasting minutes, and a ratio of two figures taken minutes apart would mix them.
function coldRuns(commands, rounds = 7) {
  const times = commands.map(() => []);
  for (let r = 0; r < rounds; r++) {
    commands.forEach(([cmd, args], i) => {
      const t = process.hrtime.bigint();
      spawnSync(cmd, args, { cwd: root, stdio: 'ignore' });
      times[i].push(Number(process.hrtime.bigint() - t) / 1e6);
    });
  }
  return times.map((ts) => ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)]);
}
const [nodeStart, lint, lintJson, lintMany, lintExample] = coldRuns([
  [process.execPath, ['-e', '0']],
  [process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', dir]],
  [process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', dir, '--format', 'json']],
  [process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', manyDir, '--format', 'json']],
  [process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', path.join(root, 'fixtures/examples/asterisk-pbx')]],
]);
// The findings of the many-findings input, counted once (also proves the run found them).
const manyFound = spawnSync(process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', manyDir, '--format', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
const manyFindings = JSON.parse(manyFound.stdout).length;
const manyMb = many.bytes / 1e6;

const fmt = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
const rows = [
  ['input', `${fmt(count, 0)} extensions, ${fmt(mb, 2)} MB`, ''],
  ['parse throughput (files → model)', `${fmt(mb / (parse.ms / 1000))} MB/s (${fmt(parse.ms, 0)} ms)`, '≥ 20 MB/s'],
  ['  with the dialplan index', `${fmt(mb / (parse.withIndex / 1000))} MB/s (${fmt(parse.withIndex, 0)} ms)`, ''],
  ['route queries (full simulation)', `${fmt(routes.qps, 0)} /s, median of 5 windows (${fmt(routes.qpsMin, 0)}–${fmt(routes.qpsMax, 0)}); 4,099 numbers in turn`, '≥ 500,000 /s'],
  ['  the same, 64 numbers repeated', `${fmt(routes.hotQps, 0)} /s (extensions already in the CPU caches)`, ''],
  ['extension lookups only', `${fmt(routes.lookups, 0)} /s`, ''],
  ['coverage, every entry point', `${fmt(coverage.ms / 1000, 2)} s for ${fmt(coverage.entries, 0)} entry points, ${fmt(coverage.classes, 0)} classes (${fmt((coverage.ms * 1000) / coverage.classes, 0)} µs per class)`, '< 1 s'],
  ['  FreeSWITCH, 10,000 DID extensions', `${fmt(fsCoverage.ms / 1000, 2)} s for ${fmt(fsCoverage.entries, 0)} entry point(s), ${fmt(fsCoverage.classes, 0)} classes (${fmt((fsCoverage.ms * 1000) / 10000, 0)} µs per DID)`, ''],
  // The process's peak RSS less what Node itself held before loading (its runtime and pbxlint's code).
  ['peak memory, one load (RSS)', `${fmt((memory.peakRss - memory.baseRss) / 1e6, 0)} MB = ${fmt((memory.peakRss - memory.baseRss) / bytes)}× input above Node's own ${fmt(memory.baseRss / 1e6, 0)} MB (total ${fmt(memory.peakRss / 1e6, 0)} MB)`, '< 10× input'],
  ['peak memory, `pbxlint lint` (RSS)', `${fmt((lintMemory.peakRss - lintMemory.baseRss) / 1e6, 0)} MB = ${fmt((lintMemory.peakRss - lintMemory.baseRss) / bytes)}× input above Node's own ${fmt(lintMemory.baseRss / 1e6, 0)} MB`, ''],
  ['model retained (heap)', `${fmt(memory.retainedHeap / 1e6, 0)} MB = ${fmt(memory.retainedHeap / bytes)}× input`, ''],
  ['cold `pbxlint lint` (50k)', `${fmt(lint, 0)} ms = ${fmt(lint / nodeStart)}× node start`, '≤ 8×'],
  ['  the same, --format json', `${fmt(lintJson, 0)} ms = ${fmt(lintJson / nodeStart)}× node start`, '≤ 8×'],
  ['many findings: input', `${fmt(count, 0)} extensions, 10,000 endpoints, ${fmt(manyMb, 2)} MB → ${fmt(manyFindings, 0)} findings`, ''],
  ['  cold `pbxlint lint --format json`', `${fmt(lintMany, 0)} ms = ${fmt(lintMany / nodeStart)}× node start`, '≤ 8×'],
  ['  peak memory, `pbxlint lint` (RSS)', `${fmt((manyMemory.peakRss - manyMemory.baseRss) / 1e6, 0)} MB = ${fmt((manyMemory.peakRss - manyMemory.baseRss) / many.bytes)}× input above Node's own ${fmt(manyMemory.baseRss / 1e6, 0)} MB (total ${fmt(manyMemory.peakRss / 1e6, 0)} MB)`, '< 10× input'],
  ['bare `node -e 0`', `${fmt(nodeStart, 0)} ms`, ''],
  ['cold lint, bundled example', `${fmt(lintExample, 0)} ms = ${fmt(lintExample / nodeStart)}× node start`, ''],
];
// 200 roots, serial (workers: 0) and parallel (the default choice), in turn, three rounds each, in
// fresh processes: the JSON reports must be the same text.
const rootsDir = path.join(os.tmpdir(), `pbxlint-bench-roots-${process.pid}`);
let rootsBytes = 0;
for (let i = 0; i < 200; i++) rootsBytes += generate(path.join(rootsDir, `customer${String(i).padStart(3, '0')}`), 300 + (i % 7) * 50, { missingEndpoints: i % 2 === 1 }).bytes;
const manyRoots = (workers) =>
  child(`
    require('./dist/src/core/heap').keepYoungGenerationSmall();
    const { lintCommand } = require('./dist/src/config/lint-command');
    const out = [];
    const t = process.hrtime.bigint();
    lintCommand({ paths: [${JSON.stringify(rootsDir)}], load: {}, format: 'json', workers: ${workers === undefined ? 'undefined' : workers} }, { stdout: (s) => out.push(s), stderr: () => {}, cwd: process.cwd(), color: false });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(JSON.stringify({ ms, hash: require('crypto').createHash('sha1').update(out.join('')).digest('hex'), workers: require('./dist/src/parallel').workersFor(require('./dist/src/engines').findRoots([${JSON.stringify(rootsDir)}]).roots.map((root) => ({ root, options: {} }))) }));
  `);
const serialRuns = [];
const parallelRuns = [];
for (let r = 0; r < 3; r++) {
  serialRuns.push(manyRoots(0));
  parallelRuns.push(manyRoots(undefined));
}
const mid = (runs) => runs.map((x) => x.ms).sort((a, b) => a - b)[1];
const sameOutput = serialRuns.concat(parallelRuns).every((x) => x.hash === serialRuns[0].hash);
rows.push(
  ['200 roots: input', `${fmt(rootsBytes / 1e6, 1)} MB in 200 Asterisk roots (${os.availableParallelism ? os.availableParallelism() : os.cpus().length} cores)`, ''],
  ['  lint, serial', `${fmt(mid(serialRuns), 0)} ms`, ''],
  ['  lint, worker threads', `${fmt(mid(parallelRuns), 0)} ms with ${parallelRuns[0].workers} worker(s) besides the main thread = ${fmt(mid(serialRuns) / mid(parallelRuns), 2)}× faster; output ${sameOutput ? 'identical' : 'DIFFERENT'}`, 'identical'],
);
require('fs').rmSync(rootsDir, { recursive: true, force: true });

if (process.argv.includes('--big')) {
  const bigDir = path.join(os.tmpdir(), `pbxlint-bench-big-${process.pid}`);
  const big = generate(bigDir, 330000);
  // Three cold runs of the command as bin/pbxlint.js runs it (JSON to /dev/null), each timed from
  // outside and reporting its own peak RSS; medians.
  const runs = [];
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    const out = child(`
      require('./dist/src/core/heap').keepYoungGenerationSmall();
      require('./dist/src/core/compile-cache').useCompileCache();
      require('./dist/src/cli.js').main(['lint', ${JSON.stringify(bigDir)}, '--format', 'json', '-o', '/dev/null']).then(() => {
        console.log(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024 }));
      });
    `);
    runs.push({ ms: Number(process.hrtime.bigint() - t) / 1e6, peakRss: out.peakRss });
  }
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  const bigMs = median(runs.map((x) => x.ms));
  const bigRss = median(runs.map((x) => x.peakRss));
  const bigMb = big.bytes / 1e6;
  rows.push(
    ['big input (--big)', `${fmt(330000, 0)} extensions, ${fmt(bigMb, 1)} MB`, ''],
    ['  cold lint --format json', `${fmt(bigMs, 0)} ms = ${fmt(bigMs / bigMb)} ms/MB (50k: ${fmt(lintJson / mb)} ms/MB)`, '≤ the 50k\'s ms/MB'],
    ['  peak memory (RSS)', `${fmt(bigRss / 1e6, 0)} MB = ${fmt(bigRss / big.bytes)}× input (total, Node's own included)`, '< 5× input'],
  );
  require('fs').rmSync(bigDir, { recursive: true, force: true });
}
for (const [k, v, t] of rows) console.log(`${k.padEnd(36)} ${v.padEnd(84)} ${t}`);
require('fs').rmSync(dir, { recursive: true, force: true });
require('fs').rmSync(manyDir, { recursive: true, force: true });
