#!/usr/bin/env node
'use strict';
// Before anything is loaded: see src/core/heap.ts.
require('../dist/src/core/heap.js').keepYoungGenerationSmall();
require('../dist/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`pbxlint: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
