/**
 * summarizeOutcomes (src/resolvers/types.ts), shared by the three engines: how the paths of a
 * forked simulation become the answer's outcomes and the conditions each is shown with.
 */
import { summarizeOutcomes, type RouteOutcome } from '../src/resolvers/types';

const path = (status: number | null, conditions: string[], line = 1): RouteOutcome => ({
  verdict: status === null ? 'routed' : 'rejected',
  status,
  reason: `ends at line ${line}`,
  target: status === null ? { kind: 'endpoint', name: 'PJSIP/1001' } : null,
  steps: [{ file: 'extensions.conf', line, kind: 'priority', text: `step ${line}` }],
  conditions,
});

describe('summarizeOutcomes', () => {
  test('one path: its conditions as they are', () => {
    const a = summarizeOutcomes('asterisk', 'r', [path(404, ['A'])]);
    expect(a.verdict).toBe('rejected');
    expect(a.outcomes[0].conditions).toEqual(['A']);
  });

  test('every path ends the same way: the answer is that one, on what they all assume only', () => {
    const a = summarizeOutcomes('asterisk', 'r', [path(404, ['K', 'A'], 1), path(404, ['K', 'not A'], 2)]);
    expect(a.verdict).toBe('rejected');
    expect(a.status).toBe(404);
    expect(a.outcomes).toHaveLength(1);
    expect(a.outcomes[0].conditions).toEqual(['K']);
    // The first path stands for them.
    expect(a.outcomes[0].steps[0].line).toBe(1);
  });

  test('paths that end alike are one outcome, under either of their conditions', () => {
    const a = summarizeOutcomes('asterisk', 'r', [path(486, ['A']), path(404, ['not A', 'B']), path(486, ['not A', 'not B'])]);
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([
      [486, ['A, or not A and not B']],
      [404, ['not A', 'B']],
    ]);
    expect(a.reason).toBe('rejected → 486 if A, or not A and not B; rejected → 404 if not A and B');
  });

  test('a path assuming nothing beyond the common part covers the others (X or X and Y is X)', () => {
    const a = summarizeOutcomes('asterisk', 'r', [path(486, ['X']), path(486, ['X', 'Y']), path(null, ['Z'])]);
    expect(a.outcomes.map((o) => o.conditions)).toEqual([['X'], ['Z']]);
  });

  test('many alternatives: four listed, the rest counted', () => {
    const paths = Array.from({ length: 7 }, (_, i) => path(403, [`caller is ${i}`]));
    const a = summarizeOutcomes('asterisk', 'r', [...paths, path(null, ['none of them'])]);
    expect(a.outcomes[0].conditions).toEqual(['caller is 0, or caller is 1, or caller is 2, or caller is 3, or in 3 other cases']);
  });
});
