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
 * cause) are quoted once, with the layout around them, and encoded once (textShared). Strings are quoted as JSON.stringify quotes them; a value
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
  // The texts findings share, made when they change: the head (rule, severity, file) up to the
  // line number, the wire text, the platform.
  let ruleId: string | undefined;
  let severity: string | undefined;
  let file: string | undefined;
  let head = '';
  let wire: string | undefined;
  let wireText = '';
  let platform: string | undefined;
  let platformText = '';
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const fileRel = rel(f.file);
    if (f.ruleId !== ruleId || f.severity !== severity || fileRel !== file) {
      ruleId = f.ruleId;
      severity = f.severity;
      file = fileRel;
      head = `  {\n    "ruleId": ${JSON.stringify(ruleId)},\n    "severity": ${JSON.stringify(severity)},\n    "file": ${JSON.stringify(file)},\n    "line": `;
    }
    out.text(i === 0 ? '[\n' : ',\n');
    out.textShared(head);
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
      if (w !== wire) wireText = `,\n    "wire": ${JSON.stringify((wire = w))}`;
      out.textShared(wireText);
    }
    const x = f.fix;
    if (x !== undefined) {
      out.text(',\n    "fix": ');
      out.json(x);
    }
    const p = f.platform;
    if (p !== undefined) {
      if (p !== platform) platformText = `,\n    "platform": ${JSON.stringify((platform = p))}`;
      out.textShared(platformText);
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
