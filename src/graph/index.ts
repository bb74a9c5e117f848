/** `pbxlint graph [paths..] --format mermaid|dot`. */
import * as path from 'path';
import type { Platform } from '../core/findings';
import { engineFor, findRoots, loadRoot, placeFragments } from '../engines';
import type { LoadOptions } from '../engines/types';
import type { AnyModel } from '../model';
import { configOrReport, mergeLoad, writeOutput, type CommandIo } from '../config/lint-command';
import { genericGraph } from './generic';
import { renderDot, renderMermaid, type TitledGraph } from './render';
import { reachableFromEntries, type RouteGraph } from './types';

export type { RouteGraph, GraphNode, GraphEdge } from './types';

/** The routing graph of a model: everything (`all`), or what the entry points (or the `from` ones) reach. */
export function graphOf(model: AnyModel, all = false, from?: string[]): RouteGraph {
  const engine = engineFor(model.platform);
  const graph = engine?.graph ? engine.graph(model as never) : genericGraph(model);
  return all && !from?.length ? graph : reachableFromEntries(graph, from);
}

export interface GraphCommandOptions {
  paths?: string[];
  platform?: Platform;
  load: LoadOptions;
  format: 'mermaid' | 'dot' | 'json';
  config?: string;
  outputFile?: string;
  all?: boolean;
  /** Draw only what these entry points (endpoint names or entry ids) reach. */
  from?: string[];
}

export function graphCommand(options: GraphCommandOptions, io: CommandIo): number {
  const loaded = configOrReport(io, options.config);
  if (!loaded) return 2;
  const config = loaded.config;
  const paths = options.paths?.length ? options.paths.map((p) => path.resolve(io.cwd, p)) : config?.roots.length ? config.roots.map((r) => r.path) : [io.cwd];
  const found = findRoots(paths, options.platform ?? config?.platform);
  const placed = placeFragments(found.fragments, options.load ?? {}, new Map());
  const roots = [...found.roots, ...placed.roots.filter((r) => !found.roots.some((x) => x.platform === r.platform && x.path === r.path))];
  const errors = [...found.errors, ...placed.errors, ...placed.alone.map((a) => `${a.fragment.given}: no ${a.platform} configuration that includes it was found in the given paths or the directories above; name the configuration to draw it`)];
  for (const n of placed.notes) io.stderr(`pbxlint: note: ${n}\n`);
  for (const e of errors) io.stderr(`pbxlint: ${e}\n`);
  if (roots.length === 0 || errors.length) return 2;
  const graphs: TitledGraph[] = [];
  for (const root of roots) {
    const rootLoad = config?.roots.find((r) => r.path === root.path)?.load ?? config?.load ?? {};
    const graph = graphOf(loadRoot(root, mergeLoad(rootLoad, options.load)), options.all, options.from);
    if (options.from?.length && !graph.nodes.some((n) => n.kind === 'entry')) {
      if (roots.length === 1) {
        io.stderr(`pbxlint: no entry point ${options.from.join(', ')} in ${root.path}\n`);
        return 2;
      }
      continue;
    }
    graphs.push({ title: `${root.platform}: ${path.relative(io.cwd, root.path) || '.'}`, graph });
  }
  if (graphs.length === 0) {
    io.stderr(`pbxlint: no entry point ${options.from?.join(', ')} in any configuration root\n`);
    return 2;
  }
  const text = options.format === 'dot' ? renderDot(graphs) : options.format === 'json' ? JSON.stringify(graphs.length === 1 ? graphs[0].graph : graphs, null, 2) + '\n' : renderMermaid(graphs);
  return writeOutput(io, text, options.outputFile) ? 0 : 2;
}
