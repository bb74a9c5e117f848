#!/usr/bin/env node
/**
 * Side-by-side timings: `pbxlint lint FILE` (CLI, and the lint call in-process) against
 * `kamailio -c -f FILE` on the same files. Not a test (no timed assertions in tests); run it by hand
 * after `npx tsc -p tsconfig.json`:  node test/kamailio-oracle/timings.js [files…]
 */
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['/etc/kamailio/kamailio.cfg', ...['office', 'strict-number', 'multi-domain', 'hosted'].map((f) => path.join(root, 'fixtures/kamailio', f, 'kamailio.cfg'))];
const RUNS = 10;

function time(fn) {
  fn(); // warm the file cache
  const t = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) fn();
  return Number(process.hrtime.bigint() - t) / 1e6 / RUNS;
}

const { lintPaths } = require(path.join(root, 'dist/src/lint'));
const kamailio = spawnSync('sh', ['-c', 'command -v kamailio'], { encoding: 'utf8' }).stdout.trim();
console.log('file\tpbxlint lint (CLI)\tpbxlint lint (in-process)\tkamailio -c');
for (const f of files) {
  const cli = time(() => spawnSync(process.execPath, [path.join(root, 'bin/pbxlint.js'), 'lint', f], { encoding: 'utf8' }));
  const lib = time(() => lintPaths([f]));
  const kam = kamailio ? time(() => spawnSync(kamailio, ['-c', '-f', f], { cwd: path.dirname(f), encoding: 'utf8' })) : NaN;
  console.log(`${path.relative(process.cwd(), f) || f}\t${cli.toFixed(0)} ms\t${lib.toFixed(1)} ms\t${kamailio ? `${kam.toFixed(0)} ms` : 'not installed'}`);
}
