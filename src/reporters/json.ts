import * as path from 'path';
import type { Finding } from '../core/findings';
import type { ReportContext } from './types';

/** `[{ruleId, severity, file, line, column, message, …}]`; file paths relative to the working directory. */
export function json(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  jsonTo(findings, ctx, (s) => out.push(s));
  return out.join('');
}

/** Characters JSON.stringify writes escaped: quote, backslash, controls, surrogates (lone ones become \u escapes). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON of a string or number; a string without characters to escape is quoted as it is (no copy). */
function q(v: string | number): string {
  return typeof v === 'string' && !ESCAPED.test(v) ? `"${v}"` : JSON.stringify(v);
}

/**
 * The JSON report a piece at a time, the same text as `JSON.stringify(array, null, 2)` of the
 * findings with fields in a fixed order (undefined ones left out). Handed to `emit` in pieces, the
 * report of 40,000 findings is never one 20 MB string (nor pieces joined into one per finding),
 * and a deferred finding's texts (src/rules/deferred.ts) live only while they are written.
 */
export function jsonTo(findings: Finding[], ctx: ReportContext, emit: (s: string) => void): void {
  if (findings.length === 0) {
    emit('[]\n');
    return;
  }
  const relative = new Map<string, string>();
  const rel = (file: string) => {
    let r = relative.get(file);
    if (r === undefined) relative.set(file, (r = path.relative(ctx.cwd, file) || file));
    return r;
  };
  const str = (s: string) => {
    if (ESCAPED.test(s)) emit(JSON.stringify(s));
    else {
      emit('"');
      emit(s);
      emit('"');
    }
  };
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    emit(i === 0 ? '[\n  {\n    "ruleId": ' : ',\n  {\n    "ruleId": ');
    str(f.ruleId);
    emit(',\n    "severity": ');
    str(f.severity);
    emit(',\n    "file": ');
    str(rel(f.file));
    emit(`,\n    "line": ${q(f.line)},\n    "column": ${q(f.column)}`);
    if (f.endLine !== undefined) emit(`,\n    "endLine": ${q(f.endLine)}`);
    if (f.endColumn !== undefined) emit(`,\n    "endColumn": ${q(f.endColumn)}`);
    emit(',\n    "message": ');
    str(f.message);
    const { wire, fix, related } = f;
    if (wire !== undefined) {
      emit(',\n    "wire": ');
      str(wire);
    }
    if (fix !== undefined) {
      emit(',\n    "fix": ');
      str(fix);
    }
    if (f.platform !== undefined) {
      emit(',\n    "platform": ');
      str(f.platform);
    }
    if (related !== undefined) {
      if (related.length === 0) emit(',\n    "related": []');
      else {
        emit(',\n    "related": [');
        related.forEach((r, j) => {
          emit(j === 0 ? '\n      {\n        "file": ' : ',\n      {\n        "file": ');
          str(rel(r.file));
          emit(`,\n        "line": ${q(r.line)},\n        "column": ${q(r.column)},\n        "message": `);
          str(r.message);
          emit('\n      }');
        });
        emit('\n    ]');
      }
    }
    if (f.numbers !== undefined) {
      // Paths as the rest of the output gives them (relative to the working directory).
      const numbers = f.numbers.map((n) => (n.via ? { ...n, via: { file: rel(n.via.file), line: n.via.line } } : n));
      emit(',\n    "numbers": ');
      emit(JSON.stringify(numbers, null, 2).replace(/\n/g, '\n    '));
    }
    emit('\n  }');
  }
  emit('\n]\n');
}
