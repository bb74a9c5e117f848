/**
 * Asterisk extension names as automata (src/automata/asterisk/pattern-re.ts) against the
 * matcher itself (pattern.ts matchCode, the model of `_extension_match_core`): random names and
 * every short dialled string over a few characters, E_MATCH and E_CANMATCH.
 */
import { accepts } from '../src/automata/dfa';
import { matchCode } from '../src/automata/asterisk/pattern';
import { nameLanguage } from '../src/automata/asterisk/pattern-re';
import { rng } from './helpers/re-match';

const PIECES = ['1', '2', '0', 'X', 'N', 'Z', '.', '!', '[12]', '[0-1]', '[]', '-', '[', '+', '*', 'a', '[-1]', '/5'];
const DIALLED = ['1', '2', '0', '-', '+', 'a', '*', '_', 'X'];

function strings(maxLen: number): string[] {
  const out = [''];
  let level = [''];
  for (let n = 1; n <= maxLen; n++) {
    const next: string[] = [];
    for (const s of level) for (const c of DIALLED) next.push(s + c);
    out.push(...next);
    level = next;
  }
  return out;
}

test('nameLanguage agrees with matchCode (E_MATCH, E_CANMATCH) on random names', () => {
  const r = rng(7);
  const probe = strings(4);
  let compared = 0;
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(r() * 4);
    let name = r() < 0.8 ? '_' : '';
    for (let i = 0; i < n; i++) name += PIECES[Math.floor(r() * PIECES.length)];
    if (name === '_' || name === '') continue;
    for (const mode of ['match', 'canmatch'] as const) {
      const d = nameLanguage(name, mode);
      const bad: string[] = [];
      for (const s of probe) {
        // A dialled string beginning with _ is compared as a pattern by E_MATCH (not modelled here).
        if (s.startsWith('_')) continue;
        compared++;
        if (accepts(d, s) !== (matchCode(name, s, mode) !== 0) && bad.push(s) >= 5) break;
      }
      expect([name, mode, bad]).toEqual([name, mode, []]);
    }
  }
  expect(compared).toBeGreaterThan(1_000_000);
});
