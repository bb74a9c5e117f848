/** Minimal JUnit XML writing, shared by the lint reporter and `pbxlint test`. */

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JUnitCase {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  failure?: { message: string; type: string; body: string };
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

export function renderJUnit(name: string, suites: JUnitSuite[]): string {
  const out: string[] = [];
  writeJUnit(
    name,
    suites.map((s) => ({ name: s.name, tests: s.cases.length, failures: s.cases.filter((c) => c.failure).length, cases: s.cases })),
    (line) => out.push(line),
  );
  return out.join('\n') + '\n';
}

/** A suite whose cases are made as they are written (a lint report of 40,000 findings is never held whole). */
export interface JUnitSuiteStream {
  name: string;
  tests: number;
  failures: number;
  cases: Iterable<JUnitCase>;
}

/** renderJUnit's text a line at a time (`line` is given each line without its newline). */
export function writeJUnit(name: string, suites: JUnitSuiteStream[], line: (s: string) => void): void {
  const total = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  line('<?xml version="1.0" encoding="UTF-8"?>');
  line(`<testsuites name="${xmlEscape(name)}" tests="${total}" failures="${failures}" errors="0">`);
  for (const s of suites) {
    line(`  <testsuite name="${xmlEscape(s.name)}" tests="${s.tests}" failures="${s.failures}" errors="0" skipped="0">`);
    for (const c of s.cases) {
      const attrs = `name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}"${c.file ? ` file="${xmlEscape(c.file)}"` : ''}${c.line ? ` line="${c.line}"` : ''}`;
      if (!c.failure && !c.systemOut) {
        line(`    <testcase ${attrs}/>`);
        continue;
      }
      line(`    <testcase ${attrs}>`);
      if (c.failure) line(`      <failure message="${xmlEscape(c.failure.message)}" type="${xmlEscape(c.failure.type)}">${xmlEscape(c.failure.body)}</failure>`);
      if (c.systemOut) line(`      <system-out>${xmlEscape(c.systemOut)}</system-out>`);
      line('    </testcase>');
    }
    line('  </testsuite>');
  }
  line('</testsuites>');
}
