/**
 * The part of glob(3) that engines use for their includes: `*`, `?` and `[...]` (`[!…]`/`[^…]`
 * negate) in any path segment; without GLOB_PERIOD a wildcard never matches a leading dot; the
 * matches of one pattern are sorted as a whole (glob sorts with strcoll, and the C locale the
 * engines run in sorts by byte). With `braces` (GLOB_BRACE, as Asterisk's #include uses),
 * `{a,b}` alternatives are globbed one after the other in the order written. Node 20 has no fs.glob.
 */
import * as fs from 'fs';
import * as path from 'path';

export const hasMagic = (s: string) => /[*?[]/.test(s);

/**
 * Brace alternatives one pattern may expand to: `{a,b}` written n times is 2^n patterns, and glob(3)
 * gives up with GLOB_NOSPACE long before a million; past this many the rest are not globbed.
 */
export const MAX_BRACE_EXPANSIONS = 4096;

/** `{a,b}` alternatives, outermost first, in the order written; an unbalanced brace stays literal. */
export function expandBraces(pattern: string): string[] {
  const start = pattern.indexOf('{');
  if (start < 0) return [pattern];
  let depth = 0;
  let last = start + 1;
  const parts: string[] = [];
  for (let i = start; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        parts.push(pattern.slice(last, i));
        const out: string[] = [];
        for (const p of parts) {
          if (out.length >= MAX_BRACE_EXPANSIONS) break;
          out.push(...expandBraces(pattern.slice(0, start) + p + pattern.slice(i + 1)));
        }
        return out.length > MAX_BRACE_EXPANSIONS ? out.slice(0, MAX_BRACE_EXPANSIONS) : out;
      }
    } else if (c === ',' && depth === 1) {
      parts.push(pattern.slice(last, i));
      last = i + 1;
    }
  }
  return [pattern];
}

/** One element of a segment pattern: a run of stars, or a test of one character. */
type SegmentToken = { star: true } | { star: false; test: (c: string) => boolean };

/**
 * A segment's matcher. Not a RegExp: `*a*a*a…*b` written as `[^/]*a[^/]*a…` backtracks
 * exponentially on a name that does not match (a 12-star include against a 60-character name took
 * 183 s, found by fuzzing), while the matcher below — fnmatch's, one backtrack point at the last
 * star — takes at most (pattern × name) steps.
 */
export function segmentMatcher(segment: string): (name: string) => boolean {
  const tokens: SegmentToken[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    // Consecutive stars are one (fnmatch).
    if (c === '*') {
      if (segment[i - 1] !== '*') tokens.push({ star: true });
    } else if (c === '?') tokens.push({ star: false, test: (x) => x !== '/' });
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        tokens.push({ star: false, test: (x) => x === '[' });
        continue;
      }
      let body = segment.slice(i + 1, close);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      // One character against a class: no backtracking there.
      const cls = new RegExp(`^${classRegex(body, negate)}$`);
      tokens.push({ star: false, test: (x) => cls.test(x) });
      i = close;
    } else tokens.push({ star: false, test: (x) => x === c });
  }
  return (name) => {
    let t = 0;
    let n = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (n < name.length) {
      const tok = tokens[t];
      if (tok && !tok.star && tok.test(name[n])) {
        t++;
        n++;
      } else if (tok?.star) {
        starAt = t++;
        resumeAt = n;
      } else if (starAt >= 0 && name[resumeAt] !== '/') {
        // The last star takes one more character, and the match goes on from there.
        t = starAt + 1;
        n = ++resumeAt;
      } else return false;
    }
    while (tokens[t]?.star) t++;
    return t === tokens.length;
  };
}

/**
 * A `[…]` body as a RegExp class. A range whose end sorts before its start (`[m-i]`) matches
 * nothing, as in glibc's fnmatch (`cold <= fc && fc <= cend`); written into a RegExp it would throw
 * ("Range out of order": `#include [from-internal]`, found by fuzzing, failed the whole load).
 */
function classRegex(body: string, negate: boolean): string {
  const esc = (c: string) => (/[\\\]^[-]/.test(c) ? `\\${c}` : c);
  let items = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body[i + 2];
      if (c <= end) items += `${esc(c)}-${esc(end)}`;
      i += 2;
    } else items += esc(c);
  }
  if (!items) return negate ? '[^/]' : '(?!)';
  return `[${negate ? '^' : ''}${items}]`;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Paths matching one absolute pattern (no braces), sorted by byte. */
function globOne(pattern: string): string[] {
  if (!hasMagic(pattern)) return fs.existsSync(pattern) ? [pattern] : [];
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]];
  for (let i = 1; i < parts.length && bases.length; i++) {
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
      const matches = segmentMatcher(seg);
      for (const n of names) if (matches(n) && (seg.startsWith('.') || !n.startsWith('.'))) next.push(path.join(base, n));
    }
    bases = next;
  }
  return bases.sort(byteOrder);
}

export interface GlobOptions {
  /** Expand `{a,b}` (GLOB_BRACE). */
  braces?: boolean;
  /** Keep regular files only. */
  onlyFiles?: boolean;
}

export function glob(pattern: string, options: GlobOptions = {}): string[] {
  const out: string[] = [];
  for (const p of options.braces ? expandBraces(pattern) : [pattern]) out.push(...globOne(p));
  if (!options.onlyFiles) return out;
  return out.filter((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}
