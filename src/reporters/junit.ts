/**
 * JUnit XML for CI dashboards, in the shape ESLint's junit formatter uses: one testsuite per file,
 * one failing testcase per finding (type = severity). A clean run is one passing testcase, so the
 * dashboard shows the gate ran.
 */
import type { Finding } from '../core/findings';
import { writeJUnit, type JUnitCase, type JUnitSuiteStream } from './junit-xml';
import { StringSink, type ReportSink } from './sink';
import { relativePosix } from './paths';
import type { ReportContext } from './types';

export function junit(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  junitTo(findings, ctx, new StringSink((s) => out.push(s)));
  return out.join('');
}

/** The JUnit report a line at a time: each finding's testcase is made as it is written. */
export function junitTo(findings: Finding[], ctx: ReportContext, out: ReportSink): void {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const file = relativePosix(f.file, ctx.cwd);
    const list = byFile.get(file) ?? [];
    list.push(f);
    byFile.set(file, list);
  }
  const suites: JUnitSuiteStream[] = [...byFile].map(([file, list]) => ({ name: file, tests: list.length, failures: list.length, cases: casesOf(file, list) }));
  if (suites.length === 0) {
    suites.push({ name: 'pbxlint', tests: 1, failures: 0, cases: [{ name: `lint: ${ctx.files} file(s) of ${ctx.roots} configuration root(s)`, classname: 'pbxlint' }] });
  }
  writeJUnit('pbxlint', suites, (line) => {
    out.text(line);
    out.text('\n');
  });
}

/** One failing testcase per finding of a file (type = severity). */
function* casesOf(file: string, list: Finding[]): Generator<JUnitCase> {
  for (const f of list) {
    yield {
      name: `${file}:${f.line}:${f.column} ${f.ruleId}`,
      classname: `pbxlint.${f.ruleId}`,
      file,
      line: f.line,
      failure: {
        message: f.message,
        type: f.severity,
        body: [`${f.severity}: ${f.message} (${f.ruleId}) at ${file}:${f.line}:${f.column}`, f.wire ? `wire: ${f.wire}` : '', f.fix ? `fix: ${f.fix}` : ''].filter(Boolean).join('\n'),
      },
    };
  }
}
