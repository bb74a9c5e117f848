import * as path from 'path';
import type { Finding } from '../core/findings';
import type { ReportContext } from './types';
import { StringSink, type ReportSink } from './sink';

/** `[{ruleId, severity, file, line, column, message, …}]`; file paths relative to the working directory. */
export function json(findings: Finding[], ctx: ReportContext): string {
  const out: string[] = [];
  jsonTo(findings, ctx, new StringSink((s) => out.push(s)));
  return out.join('');
}

/**
 * The JSON report a piece at a time, the same text as `JSON.stringify(array, null, 2)` of the
 * findings with fields in a fixed order (undefined ones left out): the report of 40,000 findings
 * is never one 20 MB string, and a deferred finding's texts (src/rules/deferred.ts) live only
 * while it is written.
 *
 * Each finding's text is handed to the sink as the layout's constant text, values to quote and
 * numbers rather than made by JSON.stringify of an object made for it, or by template literals:
 * the CLI's sink copies them into its output buffer without a string made for any of them
 * (src/reporters/sink.ts: the report phase of 40,000 findings allocated 97 MB, ~1 MB now). Values
 * most findings share (rule, severity, file, platform, a wire text shared by all findings of a
 * cause) are quoted once (jsonShared). Strings are quoted as JSON.stringify quotes them; a value
 * that is not a string or a number (related, numbers) is written by JSON.stringify with the
 * indentation it has at that depth.
 */
export function jsonTo(findings: Finding[], ctx: ReportContext, out: ReportSink): void {
  if (findings.length === 0) {
    out.text('[]\n');
    return;
  }
  const relative = new Map<string, string>();
  const rel = (file: string) => {
    let r = relative.get(file);
    if (r === undefined) relative.set(file, (r = path.relative(ctx.cwd, file) || file));
    return r;
  };
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    out.text(i === 0 ? '[\n  {\n    "ruleId": ' : ',\n  {\n    "ruleId": ');
    out.jsonShared(f.ruleId);
    out.text(',\n    "severity": ');
    out.jsonShared(f.severity);
    out.text(',\n    "file": ');
    out.jsonShared(rel(f.file));
    out.text(',\n    "line": ');
    out.number(f.line);
    out.text(',\n    "column": ');
    out.number(f.column);
    if (f.endLine !== undefined) {
      out.text(',\n    "endLine": ');
      out.number(f.endLine);
    }
    if (f.endColumn !== undefined) {
      out.text(',\n    "endColumn": ');
      out.number(f.endColumn);
    }
    out.text(',\n    "message": ');
    out.json(f.message);
    const w = f.wire;
    if (w !== undefined) {
      out.text(',\n    "wire": ');
      out.jsonShared(w);
    }
    const x = f.fix;
    if (x !== undefined) {
      out.text(',\n    "fix": ');
      out.json(x);
    }
    if (f.platform !== undefined) {
      out.text(',\n    "platform": ');
      out.jsonShared(f.platform);
    }
    const related = f.related;
    if (related !== undefined) out.text(`,\n    "related": ${nested(related.map((r) => ({ file: rel(r.file), line: r.line, column: r.column, message: r.message })))}`);
    // The number classes a format finding names, with paths as the rest of the output gives them.
    if (f.numbers !== undefined) out.text(`,\n    "numbers": ${nested(f.numbers.map((n) => (n.via ? { ...n, via: { file: rel(n.via.file), line: n.via.line } } : n)))}`);
    out.text('\n  }');
  }
  out.text('\n]\n');
}

/**
 * A field's value that is an array or object, as JSON.stringify(…, null, 2) writes it inside a
 * finding: its lines indented by the finding's field depth (strings in JSON hold no newline, so
 * every newline in the text is one of the layout's).
 */
function nested(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');
}
