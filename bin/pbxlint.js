#!/usr/bin/env node
'use strict';
// A reader that stops early (`pbxlint rules | head`) closes the pipe: that ends the output, it is
// not an error worth a stack trace.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw err;
});
// Before anything is loaded: see src/core/heap.ts.
require('../dist/src/core/heap.js').keepYoungGenerationSmall();
// After the heap flag (V8 keys its code cache by the flags): see src/core/compile-cache.ts.
require('../dist/src/core/compile-cache.js').useCompileCache();
require('../dist/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`pbxlint: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
