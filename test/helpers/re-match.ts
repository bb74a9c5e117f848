/** A small reference matcher for the automata layer's Re (whole-string match), for tests. */
import type { Re } from '../../src/automata/regex';

/** The end positions reachable by matching `re` from position `i` of `s`. */
function ends(re: Re, s: string, i: number): Set<number> {
  switch (re.t) {
    case 'none':
      return new Set();
    case 'eps':
      return new Set([i]);
    case 'chars':
      return i < s.length && re.set.has(s.charCodeAt(i)) ? new Set([i + 1]) : new Set();
    case 'alt': {
      const out = new Set<number>();
      for (const a of re.alts) for (const j of ends(a, s, i)) out.add(j);
      return out;
    }
    case 'cat': {
      let cur = new Set([i]);
      for (const it of re.items) {
        const next = new Set<number>();
        for (const p of cur) for (const j of ends(it, s, p)) next.add(j);
        cur = next;
        if (cur.size === 0) break;
      }
      return cur;
    }
    case 'star': {
      const out = new Set([i]);
      const todo = [i];
      while (todo.length) {
        const p = todo.pop() as number;
        for (const j of ends(re.node, s, p)) if (!out.has(j)) {
          out.add(j);
          todo.push(j);
        }
      }
      return out;
    }
  }
}

export function reMatches(re: Re, s: string): boolean {
  return ends(re, s, 0).has(s.length);
}

/** A seeded pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
