/**
 * The routing graph `pbxlint graph` draws: where calls enter (endpoints, trunks, profiles,
 * request_route), the contexts/routes they pass, and the targets they end at, with the edges and
 * nodes where a call fails (404 and others) marked. Each engine builds it from its own model
 * (Engine.graph); an engine without one gets the generic entry → context picture.
 */
import type { Platform } from '../core/findings';
import type { SourceLocation } from '../core/location';

export type GraphNodeKind = 'entry' | 'context' | 'target';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  location?: SourceLocation;
  /** Set when a call reaching this node fails: why, with the status ("404: context does not exist"). */
  fails?: string;
  /** The name is built at run time (`PJSIP/${EXTEN}`): drawn dashed, never marked failing. */
  dynamic?: boolean;
}

export type GraphEdgeKind = 'enters' | 'include' | 'goto' | 'gosub' | 'dial' | 'route';

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** Short text on the arrow (`_1XXX`, `*98 → s,start`). */
  label?: string;
  /** The status a call taking this edge ends with, when it fails ("404", "603"). */
  fails?: string;
  location?: SourceLocation;
}

export interface RouteGraph {
  platform: Platform;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Collects nodes by id (first definition wins; a later `fails` is kept). */
export class GraphBuilder {
  private nodes = new Map<string, GraphNode>();
  private edges: GraphEdge[] = [];
  private edgeKeys = new Set<string>();

  constructor(private platform: Platform) {}

  node(n: GraphNode): string {
    const had = this.nodes.get(n.id);
    if (!had) this.nodes.set(n.id, n);
    else if (n.fails && !had.fails) had.fails = n.fails;
    return n.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  edge(e: GraphEdge): void {
    const key = `${e.from}\0${e.to}\0${e.kind}\0${e.label ?? ''}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(e);
  }

  build(): RouteGraph {
    return { platform: this.platform, nodes: [...this.nodes.values()], edges: this.edges };
  }
}

/**
 * Keeps what is reachable from the entry nodes (all of it when there is no entry). `only` names
 * entry points to start from (an endpoint name or an entry id such as `pjsip:1001`).
 */
export function reachableFromEntries(graph: RouteGraph, only?: string[]): RouteGraph {
  const picked = (id: string) => !only?.length || only.some((o) => id === `entry:${o}` || id.endsWith(`:${o}`));
  const entries = graph.nodes.filter((n) => n.kind === 'entry' && picked(n.id)).map((n) => n.id);
  if (entries.length === 0 && !only?.length) return graph;
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
  }
  const seen = new Set(entries);
  const queue = [...entries];
  while (queue.length) {
    const id = queue.pop() as string;
    for (const e of out.get(id) ?? []) {
      if (!seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return { platform: graph.platform, nodes: graph.nodes.filter((n) => seen.has(n.id)), edges: graph.edges.filter((e) => seen.has(e.from) && seen.has(e.to)) };
}
