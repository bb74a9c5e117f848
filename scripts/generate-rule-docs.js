#!/usr/bin/env node
// Writes docs/rules/<id>.md and docs/rules/README.md from the rule metadata in rules/*.ts
// (compiled to dist/ first: `npm run docs` builds, then runs this). With --check, writes nothing
// and exits 1 listing the pages that differ (test/gate-docs.test.ts does the same check in jest).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { RULES } = require(path.join(root, 'dist/rules/index.js'));
const { renderRuleDoc, renderRuleIndex } = require(path.join(root, 'dist/src/reporters/rule-docs.js'));

const dir = path.join(root, 'docs/rules');
const wanted = new Map(RULES.map((r) => [`${r.id}.md`, renderRuleDoc(r)]));
wanted.set('README.md', renderRuleIndex(RULES));

const check = process.argv.includes('--check');
const drift = [];
fs.mkdirSync(dir, { recursive: true });
for (const [name, text] of wanted) {
  const file = path.join(dir, name);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === text) continue;
  drift.push(`${current === null ? 'missing' : 'outdated'}: docs/rules/${name}`);
  if (!check) fs.writeFileSync(file, text);
}
for (const name of fs.readdirSync(dir)) {
  if (name.endsWith('.md') && !wanted.has(name)) {
    drift.push(`no such rule: docs/rules/${name}`);
    if (!check) fs.unlinkSync(path.join(dir, name));
  }
}
if (check && drift.length) {
  process.stderr.write(`rule docs are out of date (run \`npm run docs\`):\n  ${drift.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(check ? 'rule docs are up to date\n' : `${drift.length} page(s) written in docs/rules\n`);
