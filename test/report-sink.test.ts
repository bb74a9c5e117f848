/**
 * Report sinks (src/reporters/sink.ts): the bytes ByteSink writes for text, quoted values and
 * numbers are the UTF-8 of what StringSink makes (JSON.stringify for quoted values and numbers),
 * for any strings (escapes, characters of every UTF-8 length, lone surrogates), across buffer
 * boundaries and with pieces larger than the buffer; and the JSON report written through either is
 * the same text.
 */
import * as path from 'path';
import fc from 'fast-check';
import { ByteSink, StringSink, type ReportSink } from '../src/reporters/sink';
import { REPORTERS, reportTo } from '../src/reporters';
import { jsonTo } from '../src/reporters/json';
import type { Finding } from '../src/core/findings';

type Piece = { kind: 'text' | 'json' | 'textShared'; s: string } | { kind: 'number'; n: number };

function write(sink: ReportSink, pieces: Piece[]): void {
  for (const p of pieces) {
    if (p.kind === 'number') sink.number(p.n);
    else sink[p.kind](p.s);
  }
}

function viaBytes(size: number, fill: (sink: ReportSink) => void): Buffer {
  const chunks: Buffer[] = [];
  const sink = new ByteSink((b) => chunks.push(Buffer.from(b)), size);
  fill(sink);
  sink.flush();
  return Buffer.concat(chunks);
}

function viaStrings(fill: (sink: ReportSink) => void): Buffer {
  const out: string[] = [];
  fill(new StringSink((s) => out.push(s)));
  return Buffer.from(out.join(''), 'utf8');
}

const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('a'.repeat(300), 'é→'.repeat(150), '"\\\n\u0000\u007f\ud800'));
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({ kind: fc.constantFrom('text' as const, 'json' as const, 'textShared' as const), s: text }),
  fc.record({ kind: fc.constant('number' as const), n: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(0, -0, 2147483647, 2147483648, 1e21, NaN, Infinity)) }),
);

test('ByteSink writes the UTF-8 of what StringSink makes, whatever the buffer size', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(64, 257, 1 << 16), (pieces, size) => {
      expect(viaBytes(size, (s) => write(s, pieces)).equals(viaStrings((s) => write(s, pieces)))).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test('the JSON report is the same text through either sink', () => {
  const cwd = path.resolve('/tmp/project');
  const ctx = { cwd, color: false, rules: [], roots: 1, files: 1 };
  const findings: Finding[] = [];
  for (let i = 0; i < 500; i++) {
    findings.push({ ruleId: `r${i % 3}`, severity: 'error', file: `${cwd}/x${i % 2}.conf`, line: i + 1, column: (i % 40) + 1, message: `Dial(PJSIP/ep${i}) "q" \\ ${i % 7 === 0 ? 'é →' : ''}`, wire: i % 5 === 0 ? undefined : 'the Dial always fails (→ 404)', fix: `define ep${i}`, platform: 'asterisk' });
  }
  findings.push({ ruleId: 'b', severity: 'warning', file: `${cwd}/y.conf`, line: 1, column: 1, endLine: 2, endColumn: 4, message: 'm', related: [{ file: `${cwd}/z.conf`, line: 9, column: 2, message: 'r "1"' }] });
  for (const size of [64, 1 << 16]) expect(viaBytes(size, (s) => jsonTo(findings, ctx, s)).toString('utf8')).toBe(viaStrings((s) => jsonTo(findings, ctx, s)).toString('utf8'));
});

test('every format written through the byte sink is the text its reporter returns', () => {
  const cwd = path.resolve('/tmp/project');
  const findings: Finding[] = [
    { ruleId: 'a', severity: 'error', file: `${cwd}/x.conf`, line: 3, column: 7, message: 'quote " <tag> & é →', wire: 'w → 404', fix: 'f', platform: 'asterisk' },
    { ruleId: 'b', severity: 'warning', file: `${cwd}/sub/y.conf`, line: 1, column: 1, endLine: 2, endColumn: 4, message: 'm', platform: 'kamailio', related: [{ file: `${cwd}/z.conf`, line: 9, column: 2, message: 'r "1"' }] },
    { ruleId: 'c', severity: 'info', file: `${cwd}/x.conf`, line: 5, column: 5, message: 'line\nbreak %', related: [] },
  ];
  for (const format of Object.keys(REPORTERS)) {
    for (const list of [findings, []]) {
      for (const color of [false, true]) {
        const ctx = { cwd, color, rules: [], roots: 1, files: 2 };
        expect(viaBytes(64, (s) => reportTo(format, list, ctx, s)).toString('utf8')).toBe(REPORTERS[format](list, ctx));
      }
    }
  }
});
