/**
 * INTERIM (replaced by the full pattern engine on the `pattern` branch): Asterisk extension
 * matching and ordering from main/pbx.c, classic algorithm only.
 */
export type MatchMode = 'match' | 'canmatch' | 'matchmore';

export function matchNameOf(written: string): string {
  let out = '';
  let inSet = false;
  for (const c of written.replace(/ /g, '')) {
    if (c === '[') inSet = true;
    else if (c === ']') inSet = false;
    if (c === '-' && !inSet) continue;
    out += c;
  }
  return out;
}

export const isPattern = (name: string) => name.startsWith('_');

function core(pattern: string, data: string, mode: MatchMode): number {
  if (pattern[0] !== '_') {
    const p = pattern.replace(/-/g, '');
    const d = data.replace(/-/g, '');
    if (p.length < d.length) return 0;
    if (mode === 'match') return p === d ? 1 : 0;
    if (d.length === 0 || p.startsWith(d)) return mode === 'matchmore' ? (p.length > d.length ? 1 : 0) : 1;
    return 0;
  }
  let pi = 1;
  let di = 0;
  for (;;) {
    while (data[di] === '-') di++;
    while (pattern[pi] === '-') pi++;
    if (di >= data.length || pi >= pattern.length || pattern[pi] === '/') break;
    const pc = pattern[pi];
    const dc = data[di];
    if (pc === '[') {
      const end = pattern.indexOf(']', pi + 1);
      if (end < 0) return 0;
      if (end === pi + 1) {
        pi = end + 1;
        continue;
      }
      let k = pi + 1;
      let hit = false;
      for (; k < end; k++) {
        if (k + 2 < end && pattern[k + 1] === '-') {
          if (dc >= pattern[k] && dc <= pattern[k + 2]) {
            hit = true;
            break;
          }
          k += 2;
        } else if (dc === pattern[k]) {
          hit = true;
          break;
        }
      }
      if (!hit) return 0;
      pi = end;
    } else if (pc === 'n' || pc === 'N') {
      if (dc < '2' || dc > '9') return 0;
    } else if (pc === 'x' || pc === 'X') {
      if (dc < '0' || dc > '9') return 0;
    } else if (pc === 'z' || pc === 'Z') {
      if (dc < '1' || dc > '9') return 0;
    } else if (pc === '.') return 1;
    else if (pc === '!') return 2;
    else if (dc !== pc) return 0;
    di++;
    pi++;
  }
  if (di < data.length) return 0;
  if (pi >= pattern.length || pattern[pi] === '/') return mode === 'matchmore' ? 0 : 1;
  if (pattern[pi] === '!') return 2;
  return mode === 'match' ? 0 : 1;
}

export function extensionMatches(name: string, dialed: string, mode: MatchMode): boolean {
  const r = core(name, dialed, mode);
  if (r === 2) return mode !== 'matchmore';
  return r === 1;
}

function posScore(s: string, i: { p: number }, bits: Uint8Array): number {
  for (;;) {
    let c = s[i.p++];
    while (c === '-') c = s[i.p++];
    if (c === undefined) return 0x30000;
    const code = c.charCodeAt(0);
    switch (c) {
      case 'n':
      case 'N':
        bits[6] = 0x3f;
        bits[7] = 0xc0;
        return 0x0800 | 0x32;
      case 'x':
      case 'X':
        bits[6] = 0xff;
        bits[7] = 0xc0;
        return 0x0a00 | 0x30;
      case 'z':
      case 'Z':
        bits[6] = 0x7f;
        bits[7] = 0xc0;
        return 0x0900 | 0x31;
      case '.':
        return 0x18000;
      case '!':
        return 0x28000;
      case '[': {
        const end = s.indexOf(']', i.p);
        if (end < 0) return 0x40000;
        let count = 0;
        let cmin = 0xff;
        for (; i.p < end; i.p++) {
          let c1 = s.charCodeAt(i.p);
          let c2 = c1;
          if (i.p + 2 < end && s[i.p + 1] === '-') {
            c2 = s.charCodeAt(i.p + 2);
            i.p += 2;
          }
          if (c1 < cmin) cmin = c1;
          for (; c1 <= c2; c1++) {
            const mask = 1 << (7 - (c1 % 8));
            if (!(bits[c1 >> 3] & mask)) {
              bits[c1 >> 3] |= mask;
              count += 0x100;
            }
          }
        }
        i.p++;
        if (count) return count | cmin;
        continue;
      }
      default:
        bits[code >> 3] = 1 << (7 - (code % 8));
        return 0x0100 | code;
    }
  }
}

export function compareExtensionNames(a: string, b: string): number {
  if (a[0] !== '_') {
    if (b[0] === '_') return -1;
    const x = a.replace(/-/g, '');
    const y = b.replace(/-/g, '');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (b[0] !== '_') return 1;
  const l = { p: 1 };
  const r = { p: 1 };
  for (;;) {
    const lb = new Uint8Array(32);
    const rb = new Uint8Array(32);
    const ls = posScore(a, l, lb);
    const rs = posScore(b, r, rb);
    let cmp = ls - rs;
    if (!cmp) {
      for (let k = 0; k < 32 && !cmp; k++) cmp = rb[k] - lb[k];
    }
    if (cmp) return cmp;
    if (ls === 0x30000) return 0;
  }
}

export function cidMatches(cidPattern: string | undefined, callerId: string | undefined): boolean {
  if (cidPattern === undefined) return true;
  if (!callerId) return cidPattern === '';
  return extensionMatches(cidPattern, callerId, 'match');
}

export function compareExtensions(a: { matchName: string; cid?: string }, b: { matchName: string; cid?: string }): number {
  const c = compareExtensionNames(a.matchName, b.matchName);
  if (c) return c;
  if (a.cid === undefined && b.cid === undefined) return 0;
  if (a.cid === undefined) return 1;
  if (b.cid === undefined) return -1;
  return compareExtensionNames(a.cid, b.cid);
}

export interface MatchableExtension {
  matchName: string;
  cid?: string;
  hasPriority(priority: number): boolean;
}

export function findInContext<T extends MatchableExtension>(sorted: readonly T[], dialed: string, callerId: string | undefined, priority: number, mode: MatchMode, _algorithm: 'classic' | 'trie'): { chosen: T | null; considered: T[] } {
  const considered: T[] = [];
  for (const e of sorted) {
    if (!extensionMatches(e.matchName, dialed, mode)) continue;
    if (!cidMatches(e.cid, callerId)) continue;
    considered.push(e);
    if (mode !== 'match' || e.hasPriority(priority)) return { chosen: e, considered };
  }
  return { chosen: null, considered };
}
