/**
 * SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads: tool.driver.rules with help text and
 * helpUri, results with ruleId, level, message and a physical location relative to %SRCROOT%.
 * test/reporters-sarif.test.ts validates the output against the official SARIF 2.1.0 schema.
 * Reference: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { pathToFileURL } from 'url';
import type { Finding, Severity } from '../core/findings';
import type { AnyRule } from '../rules/api';
import { packageVersion } from '../config/package-files';
import { relativePosix } from './paths';
import { renderRuleDoc, ruleDocUrl, DEFAULT_DOCS_BASE_URL } from './rule-docs';
import { StringSink, type ReportSink } from './sink';
import type { ReportContext } from './types';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

/** Findings that come from pbxlint itself rather than a rule module. */
const BUILTIN: Record<string, { description: string; severity: Severity }> = {
  'internal-error': { description: 'pbxlint failed on this input (a pbxlint bug); other checks still ran', severity: 'error' },
};

function uri(file: string, cwd: string): string {
  return encodeURI(relativePosix(file, cwd));
}

function ruleDescriptor(rule: AnyRule, base: string) {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m: string, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description}. ${rule.docs.why}` },
    help: { text: `${rule.docs.why}\n\nFix: ${rule.docs.fix}`, markdown: renderRuleDoc(rule) },
    helpUri: ruleDocUrl(rule.id, base),
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity as Severity] },
    properties: { tags: ['pbxlint', ...rule.platforms] },
  };
}

function messageText(f: Finding): string {
  const parts = [f.message];
  if (f.wire) parts.push(`On the wire: ${f.wire}`);
  if (f.fix) parts.push(`Fix: ${f.fix}`);
  return parts.join('\n');
}

export function sarif(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  sarifTo(findings, ctx, new StringSink((s) => out.push(s)));
  return out.join('');
}

/** Stands for the results in the log's text, which is split there to write them one at a time. */
const RESULTS = '\u0000pbxlint results\u0000';
/** The indentation of a result in JSON.stringify(log, null, 2): log → runs → [0] → results → [i]. */
const RESULT_INDENT = '        ';

/**
 * The SARIF log as JSON.stringify(log, null, 2) writes it, each result made and written in turn
 * (the log of 40,000 findings is never one object or one string): the log is written with a
 * placeholder for the results, which are put in its place, each indented as it would be there.
 */
export function sarifTo(findings: Finding[], ctx: ReportContext, out: ReportSink): void {
  const base = ctx.docsBaseUrl ?? process.env.PBXLINT_DOCS_BASE_URL ?? DEFAULT_DOCS_BASE_URL;
  const rules = ctx.rules.map((r) => ruleDescriptor(r, base));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of findings) {
    if (index.has(f.ruleId)) continue;
    const builtin = BUILTIN[f.ruleId] ?? { description: f.ruleId, severity: f.severity };
    index.set(f.ruleId, rules.length);
    rules.push({
      id: f.ruleId,
      name: f.ruleId,
      shortDescription: { text: builtin.description },
      fullDescription: { text: builtin.description },
      help: { text: builtin.description, markdown: builtin.description },
      helpUri: ruleDocUrl(f.ruleId, base),
      defaultConfiguration: { level: LEVEL[builtin.severity] },
      properties: { tags: ['pbxlint'] },
    });
  }
  const result = (f: Finding) => {
    const region: Record<string, number> = { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) };
    if (f.endLine !== undefined) region.endLine = Math.max(f.endLine, region.startLine);
    if (f.endColumn !== undefined && (f.endLine === undefined || f.endLine > f.line || f.endColumn > f.column)) region.endColumn = Math.max(1, f.endColumn);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId) as number,
      level: LEVEL[f.severity],
      message: { text: messageText(f) },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file, ctx.cwd), uriBaseId: '%SRCROOT%' }, region } }],
      ...(f.related?.length
        ? {
            relatedLocations: f.related.map((r, i) => ({
              id: i,
              message: { text: r.message },
              physicalLocation: { artifactLocation: { uri: uri(r.file, ctx.cwd), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, r.line), startColumn: Math.max(1, r.column) } },
            })),
          }
        : {}),
      ...(f.wire || f.fix || f.platform || f.numbers
        ? {
            properties: {
              ...(f.platform ? { platform: f.platform } : {}),
              ...(f.wire ? { wire: f.wire } : {}),
              ...(f.fix ? { fix: f.fix } : {}),
              // The class of numbers (Finding.numbers), its deciding line as a URI like the locations'.
              ...(f.numbers ? { numbers: f.numbers.map((n) => (n.via ? { ...n, via: { uri: uri(n.via.file, ctx.cwd), line: n.via.line } } : n)) } : {}),
            },
          }
        : {}),
    };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pbxlint', version: packageVersion(), informationUri: base.replace(/docs\/rules\/?$/, ''), rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(ctx.cwd.endsWith('/') ? ctx.cwd : ctx.cwd + '/').href } },
        results: findings.length === 0 ? [] : RESULTS,
      },
    ],
  };
  const text = JSON.stringify(log, null, 2) + '\n';
  if (findings.length === 0) {
    out.text(text);
    return;
  }
  const at = text.indexOf(JSON.stringify(RESULTS));
  out.text(text.slice(0, at));
  for (let i = 0; i < findings.length; i++) {
    out.text(i === 0 ? `[\n${RESULT_INDENT}` : `,\n${RESULT_INDENT}`);
    out.text(JSON.stringify(result(findings[i]), null, 2).replace(/\n/g, `\n${RESULT_INDENT}`));
  }
  out.text(`\n${RESULT_INDENT.slice(2)}]`);
  out.text(text.slice(at + JSON.stringify(RESULTS).length));
}
