/** Output of `pbxlint test`: a line per case (the route taken when it fails) and `N passed, N failed`. */
import * as path from 'path';
import { renderRouteText } from '../route';
import { renderJUnit } from '../reporters/junit-xml';
import { relativePosix } from '../reporters/paths';
import type { CaseResult } from './run';

export function summaryLine(results: CaseResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

function indent(text: string, by: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export function renderTestText(file: string, results: CaseResult[], cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const rel = path.relative(cwd, file) || file;
  const out: string[] = [];
  for (const r of results) {
    const where = paint('2', `${rel}:${r.case.line}`);
    const notes = (r.notes ?? []).map((n) => `    ${paint('36', `note: ${n}`)}`);
    if (r.passed) {
      out.push(`${paint('32', '✓')} ${r.case.name}  ${where}`, ...notes);
      continue;
    }
    out.push(`${paint('31', '✗')} ${r.case.name}  ${where}`, ...notes);
    for (const f of r.failures) out.push(`    ${f}`);
    if (r.answer) {
      out.push('    route taken:');
      out.push(indent(renderRouteText(r.answer, cwd, color), '      '));
    }
  }
  out.push(summaryLine(results));
  return out.join('\n') + '\n';
}

export function renderTestJUnit(file: string, results: CaseResult[], cwd: string): string {
  const rel = relativePosix(file, cwd);
  return renderJUnit('pbxlint test', [
    {
      name: rel,
      cases: results.map((r) => ({
        name: r.case.name,
        classname: `pbxlint.test.${rel}`,
        file: rel,
        line: r.case.line,
        failure: r.passed ? undefined : { message: r.failures[0] ?? 'failed', type: 'assertion', body: [...r.failures, '', r.answer ? renderRouteText(r.answer, cwd, false) : ''].join('\n').trim() },
        systemOut: r.notes?.length ? r.notes.map((n) => `note: ${n}`).join('\n') : undefined,
      })),
    },
  ]);
}
