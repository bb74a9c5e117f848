/** Test helper: whether a coverage class says what route's answer says (verdict, status, target; for depends, the same outcomes). */
import type { CoverageClass } from '../../src/coverage/types';
import type { RouteAnswer } from '../../src/resolvers/types';

export function sameOutcome(c: CoverageClass, a: RouteAnswer): boolean {
  if (c.verdict !== a.verdict) return false;
  if (a.verdict === 'rejected') return c.status === a.status;
  if (a.verdict === 'routed') return c.target?.name === a.target?.name && c.target?.kind === a.target?.kind;
  // depends: the same set of outcomes.
  const key = (o: { verdict: string; status: number | null; target: { name: string } | null }) => `${o.verdict}|${o.status}|${o.target?.name ?? ''}`;
  return JSON.stringify([...new Set((c.outcomes ?? []).map(key))].sort()) === JSON.stringify([...new Set(a.outcomes.map(key))].sort());
}
