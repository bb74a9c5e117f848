/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per finding,
 * which the runner turns into annotations on the pull request. Escaping follows the runner's
 * toolkit (actions/toolkit packages/core/src/command.ts): in data, % \r \n are percent-encoded;
 * in properties, also : and ,.
 */
import type { Finding } from '../core/findings';
import { relativePosix } from './paths';
import { StringSink, type ReportSink } from './sink';
import type { ReportContext } from './types';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function github(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  githubTo(findings, ctx, new StringSink((s) => out.push(s)));
  return out.join('');
}

/** The workflow commands a finding at a time, never held whole. */
export function githubTo(findings: Finding[], ctx: ReportContext, out: ReportSink): void {
  for (const f of findings) {
    const props: [string, string | number | undefined][] = [
      ['file', relativePosix(f.file, ctx.cwd)],
      ['line', f.line],
      ['col', f.column],
      ['endLine', f.endLine],
      ['endColumn', f.endLine === undefined || f.endLine === f.line ? f.endColumn : undefined],
      ['title', `pbxlint ${f.ruleId}`],
    ];
    const head = props.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    const body = [f.message, f.wire ? `wire: ${f.wire}` : '', f.fix ? `fix: ${f.fix}` : ''].filter(Boolean).join('\n');
    out.text(`::${COMMAND[f.severity]} ${head}::${escapeData(body)}\n`);
  }
}
