/**
 * Deferred findings (src/rules/deferred.ts) and the JSON report written in pieces: the same
 * findings and the same text as plain findings through JSON.stringify.
 */
import * as path from 'path';
import type { Finding } from '../src/core/findings';
import { DataFinding, FindingKind, plainFinding } from '../src/rules/deferred';
import { json } from '../src/reporters/json';

const cwd = path.resolve('/tmp/project');
const ctx = { cwd, color: false, rules: [], roots: 1, files: 1 };

const plain: Finding[] = [
  { ruleId: 'a', severity: 'error', file: `${cwd}/x.conf`, line: 3, column: 7, message: 'quote " backslash \\ tab \t arrow → lone \ud800 end', wire: 'w', fix: 'f', platform: 'asterisk' },
  { ruleId: 'b', severity: 'warning', file: `${cwd}/sub/y.conf`, line: 1, column: 1, endLine: 2, endColumn: 4, message: 'm', platform: 'kamailio', related: [{ file: `${cwd}/z.conf`, line: 9, column: 2, message: 'r "1"' }] },
  { ruleId: 'c', severity: 'info', file: '/elsewhere/q.xml', line: 5, column: 5, message: 'no related', related: [] },
  {
    ruleId: 'd',
    severity: 'error',
    file: `${cwd}/x.conf`,
    line: 4,
    column: 1,
    message: 'numbers',
    wire: 'w',
    platform: 'asterisk',
    numbers: [
      { format: 'f "1"', verdict: 'rejected', status: 404, regex: '^\\+1\\d{10}$', count: 'infinite', description: 'all', example: '+1', via: { file: `${cwd}/y.conf`, line: 2 } },
      { format: 'g', verdict: 'depends', status: null, count: 3, description: 'some', example: '1' },
    ],
  },
];

/** The findings as JSON.stringify writes them, with file paths relative to cwd. */
function expectedJson(findings: Finding[]): string {
  const rel = (file: string) => path.relative(cwd, file);
  return JSON.stringify(findings.map((f) => ({ ...f, file: rel(f.file), related: f.related?.map((r) => ({ ...r, file: rel(r.file) })), numbers: f.numbers?.map((n) => (n.via ? { ...n, via: { ...n.via, file: rel(n.via.file) } } : n)) })), null, 2) + '\n';
}

test('the JSON report is JSON.stringify(findings, null, 2) with paths made relative', () => {
  expect(json(plain, ctx)).toBe(expectedJson(plain));
  expect(JSON.parse(json(plain, ctx))).toHaveLength(4);
  expect(json([], ctx)).toBe('[]\n');
});

test('a report of many findings (written a finding at a time, equal fields quoted once) is the same text as JSON.stringify of all of them', () => {
  for (const n of [1, 31, 32, 33, 64, 100]) {
    const many = Array.from({ length: n }, (_, i) => plain[i % plain.length]);
    expect(json(many, ctx)).toBe(expectedJson(many));
  }
});

test('a deferred finding builds its texts when read, and reads as the plain finding it stands for', () => {
  let built = 0;
  const text = (d: { name: string }) => {
    built++;
    return { message: `no endpoint "${d.name}"`, wire: 'w', fix: `define ${d.name}`, related: [{ location: { file: `${cwd}/p.conf`, line: 2, column: 1 }, message: 'here' }] };
  };
  const kind = new FindingKind('dial-endpoint-missing', 'error', 'asterisk', text as (d: unknown) => ReturnType<typeof text>);
  const deferred = [1, 2].map((i) => new DataFinding(kind, { file: `${cwd}/e.conf`, line: i, column: 3 }, { name: `ep${i}` }));
  expect(built).toBe(0);
  const same = deferred.map((d) => ({ ruleId: d.ruleId, severity: d.severity, file: d.file, line: d.line, column: d.column, message: d.message, wire: d.wire, fix: d.fix, platform: d.platform, related: d.related }));
  expect(built).toBe(2); // one build per finding read in a row, not one per field
  expect(deferred.map(plainFinding)).toEqual(same);
  expect(JSON.parse(JSON.stringify(deferred))).toEqual(same);
  expect(json(deferred, ctx)).toBe(json(same, ctx));
});

test('a deferred finding keeps a location that has an end, and reads the end from it', () => {
  const kind = new FindingKind('r', 'warning', undefined, () => ({ message: 'm' }));
  const f = new DataFinding(kind, { file: `${cwd}/e.conf`, line: 2, column: 3, endLine: 4, endColumn: 5 }, null);
  expect(plainFinding(f)).toEqual({ ruleId: 'r', severity: 'warning', file: `${cwd}/e.conf`, line: 2, column: 3, endLine: 4, endColumn: 5, message: 'm' });
  const g = new DataFinding(kind, { file: `${cwd}/e.conf`, line: 2, column: 3 }, null);
  expect(Object.keys(plainFinding(g))).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'message']);
});
