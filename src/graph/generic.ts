import type { ModelBase } from '../model/common';
import { GraphBuilder, type RouteGraph } from './types';

/** For an engine without its own graph: entry points (ModelBase.entryPoints) → their contexts. */
export function genericGraph(model: ModelBase): RouteGraph {
  const g = new GraphBuilder(model.platform);
  for (const e of model.entryPoints) {
    const from = g.node({ id: `entry:${e.id}`, kind: 'entry', label: e.description + (e.trunk ? ' (trunk)' : ''), location: e.location });
    const to = g.node({ id: `context:${e.context}`, kind: 'context', label: e.context });
    g.edge({ from, to, kind: 'enters', location: e.location });
  }
  return g.build();
}
