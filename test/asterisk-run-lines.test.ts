import { loadAsterisk } from '../src/parsers/asterisk';
import { RunStore, RUN_NUMBER, RUN_STRIDE } from '../src/parsers/asterisk/dialplan-extension';
import { dialplanIndex, type DialplanExtension } from '../src/resolvers/asterisk/dialplan-index';
import { writeTree } from './helpers/tmp-config';

/** The simulator's view of an extension's lines (DialplanExtension.runLines) when several extensions share one RunStore array. */
describe('run lines kept in shared arrays (RunStore)', () => {
  const dir = writeTree({
    'extensions.conf': ['[ctx]', 'exten => 100,1,NoOp(a)', ' same => n,Hangup()', 'exten => 200,1,NoOp(b)', ' same => n,NoOp(c)', ' same => n,Hangup()', 'exten => 300,2,NoOp(d)', ' same => 5,Hangup()', ''].join('\n'),
  });
  const model = loadAsterisk(dir);
  const ext = (name: string): DialplanExtension => dialplanIndex(model).contexts.get('ctx')!.sorted.find((e) => e.name === name)!;

  test('each extension finds its own priorities, never a neighbour\'s in the same array', () => {
    const store = new RunStore();
    const [a, b, c] = [ext('100'), ext('200'), ext('300')];
    const runs = [a, b, c].map((e) => e.runLines(store));
    expect(runs[0]).toBe(runs[1]);
    expect(runs[1]).toBe(runs[2]);
    const run = runs[0];
    const numberAt = (e: DialplanExtension, n: number) => {
      const at = e.runIndex(n);
      return at < 0 ? null : run[at + RUN_NUMBER];
    };
    expect([1, 2, 3].map((n) => numberAt(a, n))).toEqual([1, 2, null]); // 3 is 200's, right after a's lines
    expect([0, 1, 2, 3, 4].map((n) => numberAt(b, n))).toEqual([null, 1, 2, 3, null]);
    expect([1, 2, 3, 5].map((n) => numberAt(c, n))).toEqual([null, 2, null, 5]);
    expect(b.runIndex(1) - a.runIndex(1)).toBe(2 * RUN_STRIDE);
  });

  test('a full array is followed by a new one; earlier extensions keep theirs', () => {
    const store = new RunStore();
    const first = store.chunk;
    let start = 0;
    while (store.chunk === first) start = store.reserve(RUN_STRIDE * 100);
    expect(start).toBe(0);
    expect(store.chunk).not.toBe(first);
  });
});
