/**
 * JUnit XML for CI dashboards, in the shape ESLint's junit formatter uses: one testsuite per file,
 * one failing testcase per finding (type = severity). A clean run is one passing testcase, so the
 * dashboard shows the gate ran.
 */
import type { Finding } from '../core/findings';
import { renderJUnit, type JUnitSuite } from './junit-xml';
import { relativePosix } from './paths';
import type { ReportContext } from './types';

export function junit(findings: Finding[], ctx: ReportContext): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const file = relativePosix(f.file, ctx.cwd);
    const list = byFile.get(file) ?? [];
    list.push(f);
    byFile.set(file, list);
  }
  const suites: JUnitSuite[] = [...byFile].map(([file, list]) => ({
    name: file,
    cases: list.map((f) => ({
      name: `${file}:${f.line}:${f.column} ${f.ruleId}`,
      classname: `pbxlint.${f.ruleId}`,
      file,
      line: f.line,
      failure: {
        message: f.message,
        type: f.severity,
        body: [`${f.severity}: ${f.message} (${f.ruleId}) at ${file}:${f.line}:${f.column}`, f.wire ? `wire: ${f.wire}` : '', f.fix ? `fix: ${f.fix}` : ''].filter(Boolean).join('\n'),
      },
    })),
  }));
  if (suites.length === 0) {
    suites.push({ name: 'pbxlint', cases: [{ name: `lint: ${ctx.files} file(s) of ${ctx.roots} configuration root(s)`, classname: 'pbxlint' }] });
  }
  return renderJUnit('pbxlint', suites);
}
