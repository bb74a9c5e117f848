/**
 * `pbxlint graph` output: Mermaid (renders in GitHub Markdown) and Graphviz DOT. Several roots are
 * drawn as one diagram with a subgraph (DOT: cluster) per root, as both formats allow only one
 * diagram per document for Markdown renderers.
 */
import type { RouteGraph } from './types';

export interface TitledGraph {
  title: string;
  graph: RouteGraph;
}

/** Mermaid labels are quoted; a quote and angle brackets need entity codes (Mermaid's `#quot;`). */
const mermaidText = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

const edgeText = (e: RouteGraph['edges'][number]) => [e.kind === 'enters' || e.kind === 'dial' || e.kind === 'route' ? '' : e.kind, e.label ?? '', e.fails ? `✖ ${e.fails}` : ''].filter(Boolean).join(' ');

export function renderMermaid(graphs: TitledGraph[]): string {
  const out = ['flowchart LR'];
  const failing: number[] = [];
  let edgeIndex = 0;
  const nested = graphs.length > 1;
  graphs.forEach(({ title, graph }, gi) => {
    const prefix = nested ? `r${gi}_` : '';
    const indent = nested ? '    ' : '  ';
    const id = new Map(graph.nodes.map((n, i) => [n.id, `${prefix}n${i}`]));
    if (nested) out.push(`  subgraph r${gi} ["${mermaidText(title)}"]`);
    for (const n of graph.nodes) {
      const label = mermaidText(n.fails ? `${n.label}\n✖ ${n.fails}` : n.label).replace(/\n/g, '<br/>');
      const shape = n.kind === 'entry' ? `(["${label}"])` : n.kind === 'target' ? `[/"${label}"/]` : `["${label}"]`;
      out.push(`${indent}${id.get(n.id)}${shape}${n.fails ? ':::fails' : n.dynamic ? ':::dynamic' : ''}`);
    }
    for (const e of graph.edges) {
      const text = edgeText(e);
      const arrow = e.fails ? '-.->' : e.kind === 'include' ? '-->' : '==>';
      out.push(`${indent}${id.get(e.from)} ${arrow}${text ? `|"${mermaidText(text)}"|` : ''} ${id.get(e.to)}`);
      if (e.fails) failing.push(edgeIndex);
      edgeIndex++;
    }
    if (nested) out.push('  end');
  });
  out.push('  classDef fails fill:#fee,stroke:#c00,color:#900');
  out.push('  classDef dynamic stroke-dasharray: 4 4');
  if (failing.length) out.push(`  linkStyle ${failing.join(',')} stroke:#c00,color:#c00`);
  return out.join('\n') + '\n';
}

const dotText = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderDot(graphs: TitledGraph[]): string {
  const out = ['digraph pbxlint {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const nested = graphs.length > 1;
  graphs.forEach(({ title, graph }, gi) => {
    const prefix = nested ? `r${gi}_` : '';
    const indent = nested ? '    ' : '  ';
    const id = new Map(graph.nodes.map((n, i) => [n.id, `${prefix}n${i}`]));
    if (nested) out.push(`  subgraph cluster_${gi} {`, `    label="${dotText(title)}";`);
    for (const n of graph.nodes) {
      const attrs = [`label="${dotText(n.fails ? `${n.label}\n✖ ${n.fails}` : n.label)}"`];
      if (n.kind === 'entry') attrs.push('shape=oval');
      if (n.kind === 'target') attrs.push('shape=parallelogram');
      if (n.fails) attrs.push('color=red', 'fontcolor=red');
      if (n.dynamic) attrs.push('style=dashed');
      out.push(`${indent}${id.get(n.id)} [${attrs.join(', ')}];`);
    }
    for (const e of graph.edges) {
      const text = edgeText(e);
      const attrs = text ? [`label="${dotText(text)}"`] : [];
      if (e.fails) attrs.push('color=red', 'fontcolor=red', 'style=dashed');
      out.push(`${indent}${id.get(e.from)} -> ${id.get(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
    }
    if (nested) out.push('  }');
  });
  out.push('}');
  return out.join('\n') + '\n';
}
