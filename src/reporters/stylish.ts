import * as path from 'path';
import type { Finding } from '../core/findings';
import type { ReportContext } from './types';

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Human output grouped by file, in the manner of ESLint's stylish formatter. */
export function stylish(findings: Finding[], ctx: ReportContext): string {
  const c = ctx.color;
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(paint(c, '4', path.relative(ctx.cwd, file) || file));
    for (const f of list) {
      const sev = f.severity === 'error' ? paint(c, '31', 'error  ') : f.severity === 'warning' ? paint(c, '33', 'warning') : paint(c, '36', 'info   ');
      out.push(`  ${paint(c, '2', `${f.line}:${f.column}`.padEnd(9))} ${sev}  ${f.message}  ${paint(c, '2', f.ruleId)}`);
      if (f.wire) out.push(`             ${paint(c, '35', 'wire:')} ${f.wire}`);
      if (f.fix) out.push(`             ${paint(c, '32', 'fix:')}  ${f.fix}`);
      for (const r of f.related ?? []) out.push(`             ${paint(c, '2', `${path.relative(ctx.cwd, r.file) || r.file}:${r.line}:${r.column}`)} ${r.message}`);
    }
    out.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.length - errors - warnings;
  const summary = `${findings.length} problem${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info) in ${ctx.files} file${ctx.files === 1 ? '' : 's'} of ${ctx.roots} configuration root${ctx.roots === 1 ? '' : 's'}`;
  out.push(findings.length === 0 ? paint(c, '32', `✓ no problems in ${ctx.files} file${ctx.files === 1 ? '' : 's'} of ${ctx.roots} configuration root${ctx.roots === 1 ? '' : 's'}`) : paint(c, errors ? '31;1' : '33;1', `✖ ${summary}`));
  return out.join('\n') + '\n';
}
