/** `pbxlint graph` output: Mermaid (renders in GitHub Markdown) and Graphviz DOT. */
import type { RouteGraph } from './types';

function ids(graph: RouteGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
}

/** Mermaid labels are quoted; a quote and angle brackets need entity codes (Mermaid's `#quot;`). */
const mermaidText = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function renderMermaid(graph: RouteGraph): string {
  const id = ids(graph);
  const out = ['flowchart LR'];
  for (const n of graph.nodes) {
    const label = mermaidText(n.fails ? `${n.label}\n✖ ${n.fails}` : n.label).replace(/\n/g, '<br/>');
    const shape = n.kind === 'entry' ? `(["${label}"])` : n.kind === 'target' ? `[/"${label}"/]` : `["${label}"]`;
    out.push(`  ${id.get(n.id)}${shape}${n.fails ? ':::fails' : n.dynamic ? ':::dynamic' : ''}`);
  }
  const failing: number[] = [];
  graph.edges.forEach((e, i) => {
    const text = [e.kind === 'enters' || e.kind === 'dial' ? '' : e.kind, e.label ?? '', e.fails ? `✖ ${e.fails}` : ''].filter(Boolean).join(' ');
    const arrow = e.fails ? '-.->' : e.kind === 'include' ? '-->' : '==>';
    out.push(`  ${id.get(e.from)} ${arrow}${text ? `|"${mermaidText(text)}"|` : ''} ${id.get(e.to)}`);
    if (e.fails) failing.push(i);
  });
  out.push('  classDef fails fill:#fee,stroke:#c00,color:#900');
  out.push('  classDef dynamic stroke-dasharray: 4 4');
  if (failing.length) out.push(`  linkStyle ${failing.join(',')} stroke:#c00,color:#c00`);
  return out.join('\n') + '\n';
}

const dotText = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderDot(graph: RouteGraph): string {
  const id = ids(graph);
  const out = ['digraph pbxlint {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of graph.nodes) {
    const attrs = [`label="${dotText(n.fails ? `${n.label}\n✖ ${n.fails}` : n.label)}"`];
    if (n.kind === 'entry') attrs.push('shape=oval');
    if (n.kind === 'target') attrs.push('shape=parallelogram');
    if (n.fails) attrs.push('color=red', 'fontcolor=red');
    if (n.dynamic) attrs.push('style=dashed');
    out.push(`  ${id.get(n.id)} [${attrs.join(', ')}];`);
  }
  for (const e of graph.edges) {
    const text = [e.kind === 'enters' || e.kind === 'dial' ? '' : e.kind, e.label ?? '', e.fails ? `✖ ${e.fails}` : ''].filter(Boolean).join(' ');
    const attrs = text ? [`label="${dotText(text)}"`] : [];
    if (e.fails) attrs.push('color=red', 'fontcolor=red', 'style=dashed');
    out.push(`  ${id.get(e.from)} -> ${id.get(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
