/**
 * The documentation page of a rule, rendered from its metadata (rules/<id>.ts). The same text is
 * written to docs/rules/<id>.md by `npm run docs` and embedded in SARIF `help.markdown`, so the
 * page, the SARIF help and the code cannot disagree (test/gate-docs.test.ts checks the files).
 */
import type { AnyRule } from '../rules/api';

/** Where docs/rules/<id>.md is browsable; overridable with `docsBaseUrl` in .pbxlintrc or PBXLINT_DOCS_BASE_URL. */
export const DEFAULT_DOCS_BASE_URL = 'https://github.com/pbxlint/pbxlint/blob/main/docs/rules/';

export function ruleDocUrl(id: string, base = DEFAULT_DOCS_BASE_URL): string {
  return `${base.endsWith('/') ? base : base + '/'}${id}.md`;
}

const PLATFORM_NAMES: Record<string, string> = { asterisk: 'Asterisk', kamailio: 'Kamailio', freeswitch: 'FreeSWITCH' };

function fenceLanguage(rule: AnyRule): string {
  if (rule.platforms.length !== 1) return 'text';
  return rule.platforms[0] === 'freeswitch' ? 'xml' : 'ini';
}

export function renderRuleDoc(rule: AnyRule): string {
  const lang = fenceLanguage(rule);
  const lines = [
    '<!-- Generated from rules/' + rule.id + '.ts by `npm run docs`; edit the rule\'s metadata, not this file. -->',
    `# ${rule.id}`,
    '',
    rule.description,
    '',
    `- Default severity: **${rule.defaultSeverity}**`,
    `- Platforms: ${rule.platforms.map((p: string) => PLATFORM_NAMES[p] ?? p).join(', ')}`,
    '',
    '## Why it fails on the wire',
    '',
    rule.docs.why,
    '',
    '## Engine behaviour',
    '',
    rule.docs.engineBehaviour,
    '',
    '## Bad',
    '',
    '```' + lang,
    rule.docs.bad,
    '```',
    '',
    '## Good',
    '',
    '```' + lang,
    rule.docs.good,
    '```',
    '',
    '## Fix',
    '',
    rule.docs.fix,
    '',
    '## Configuration',
    '',
    'In `.pbxlintrc.json`:',
    '',
    '```json',
    `{ "rules": { "${rule.id}": "off" } }`,
    '```',
    '',
    'To silence one finding, put a comment on the line before it, in the file\'s own comment syntax:',
    '`; pbxlint-disable-next-line ' + rule.id + '` (Asterisk), `# pbxlint-disable-next-line ' + rule.id + '` (Kamailio),',
    '`<!-- pbxlint-disable-next-line ' + rule.id + ' -->` (FreeSWITCH XML).',
    '',
  ];
  return lines.join('\n');
}

/** The index page docs/rules/README.md. */
export function renderRuleIndex(rules: AnyRule[]): string {
  const lines = [
    '<!-- Generated from rules/index.ts by `npm run docs`; do not edit. -->',
    '# pbxlint rules',
    '',
    '| Rule | Severity | Platforms | Description |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.defaultSeverity} | ${r.platforms.join(', ')} | ${r.description.replace(/\|/g, '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}
