/**
 * The part of glob(3) that Asterisk's `#include` uses: GLOB_BRACE alternatives in the order written,
 * each expanded with `*`, `?` and `[...]` per path segment, matches sorted per pattern (glob's
 * default; byte order as in the C locale). Hidden files match only an explicit leading dot.
 */
import * as fs from 'fs';
import * as path from 'path';

export function expandBraces(pattern: string): string[] {
  const open = findTopBrace(pattern);
  if (!open) return [pattern];
  const { start, end, parts } = open;
  const out: string[] = [];
  for (const p of parts) out.push(...expandBraces(pattern.slice(0, start) + p + pattern.slice(end + 1)));
  return out;
}

function findTopBrace(s: string): { start: number; end: number; parts: string[] } | null {
  const start = s.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  const parts: string[] = [];
  let last = start + 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        parts.push(s.slice(last, i));
        return { start, end: i, parts };
      }
    } else if (c === ',' && depth === 1) {
      parts.push(s.slice(last, i));
      last = i + 1;
    }
  }
  return null; // unbalanced: glibc treats the brace literally
}

export const hasMagic = (s: string) => /[*?[]/.test(s);

function segmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** Files matching one absolute pattern (no braces), sorted; a pattern without magic yields itself if it exists. */
function globOne(pattern: string): string[] {
  if (!hasMagic(pattern)) return fs.existsSync(pattern) ? [pattern] : [];
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i];
    if (seg === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasMagic(seg)) {
        const p = path.join(base, seg);
        if (fs.existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = fs.readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegex(seg);
      const matched = names.filter((n) => re.test(n) && (seg.startsWith('.') || !n.startsWith('.'))).sort(byteOrder);
      for (const n of matched) next.push(path.join(base, n));
    }
    bases = next;
  }
  return bases;
}

const byteOrder = (a: string, b: string) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

export function glob(pattern: string): string[] {
  const out: string[] = [];
  for (const p of expandBraces(pattern)) out.push(...globOne(p));
  return out;
}
