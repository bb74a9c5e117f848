/**
 * docs/rules/<id>.md are generated from rule metadata (npm run docs); this fails when a rule's
 * metadata changed, a rule was added or removed, and the pages were not regenerated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../rules';
import { renderRuleDoc, renderRuleIndex } from '../src/reporters/rule-docs';
import { cli, ROOT } from './helpers/gate-cli';

const DOCS = path.join(ROOT, 'docs/rules');
const read = (name: string) => (fs.existsSync(path.join(DOCS, name)) ? fs.readFileSync(path.join(DOCS, name), 'utf8') : '(missing)');

describe('rule docs are generated from the rules and up to date (run `npm run docs` to fix)', () => {
  test.each(RULES.map((r) => [r.id, r] as const))('docs/rules/%s.md', (id, rule) => {
    expect(read(`${id}.md`)).toBe(renderRuleDoc(rule));
  });

  test('docs/rules/README.md lists every rule', () => {
    expect(read('README.md')).toBe(renderRuleIndex(RULES));
  });

  test('no page for a rule that does not exist', () => {
    const pages = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.slice(0, -3));
    expect(pages.sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test('each page has what, why it fails, bad and good examples and the fix', () => {
    for (const r of RULES) {
      const page = renderRuleDoc(r);
      for (const heading of ['## Why it fails on the wire', '## Engine behaviour', '## Bad', '## Good', '## Fix']) expect(page).toContain(heading);
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe('pbxlint rules', () => {
  test('--format json and markdown list every rule', async () => {
    const json = JSON.parse((await cli(['rules', '--format', 'json'])).stdout);
    expect(json.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    expect((await cli(['rules', '--format', 'markdown'])).stdout).toBe(renderRuleIndex(RULES));
  });
});
