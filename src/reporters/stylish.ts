import * as path from 'path';
import type { Finding } from '../core/findings';
import { StringSink, type ReportSink } from './sink';
import type { ReportContext } from './types';

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Human output grouped by file, in the manner of ESLint's stylish formatter. */
export function stylish(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  stylishTo(findings, ctx, new StringSink((s) => out.push(s)));
  return out.join('');
}

/** The stylish report a line at a time (each line ends with a newline), never held whole. */
export function stylishTo(findings: Finding[], ctx: ReportContext, out: ReportSink): void {
  const c = ctx.color;
  const line = (s: string) => {
    out.text(s);
    out.text('\n');
  };
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const wireLabel = `             ${paint(c, '35', 'wire:')} `;
  const fixLabel = `             ${paint(c, '32', 'fix:')}  `;
  for (const [file, list] of byFile) {
    line(paint(c, '4', path.relative(ctx.cwd, file) || file));
    for (const f of list) {
      const sev = f.severity === 'error' ? paint(c, '31', 'error  ') : f.severity === 'warning' ? paint(c, '33', 'warning') : paint(c, '36', 'info   ');
      line(`  ${paint(c, '2', `${f.line}:${f.column}`.padEnd(9))} ${sev}  ${f.message}  ${paint(c, '2', f.ruleId)}`);
      const wire = f.wire;
      if (wire) {
        // The label and the wire text (shared by the findings of one cause) are pieces of their own.
        out.text(wireLabel);
        out.textShared(wire);
        out.text('\n');
      }
      const fix = f.fix;
      if (fix) line(fixLabel + fix);
      for (const r of f.related ?? []) line(`             ${paint(c, '2', `${path.relative(ctx.cwd, r.file) || r.file}:${r.line}:${r.column}`)} ${r.message}`);
    }
    line('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.length - errors - warnings;
  const summary = `${findings.length} problem${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info) in ${ctx.files} file${ctx.files === 1 ? '' : 's'} of ${ctx.roots} configuration root${ctx.roots === 1 ? '' : 's'}`;
  line(findings.length === 0 ? paint(c, '32', `✓ no problems in ${ctx.files} file${ctx.files === 1 ? '' : 's'} of ${ctx.roots} configuration root${ctx.roots === 1 ? '' : 's'}`) : paint(c, errors ? '31;1' : '33;1', `✖ ${summary}`));
}
