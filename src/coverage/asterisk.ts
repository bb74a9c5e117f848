/**
 * Coverage of an Asterisk configuration: the entry points (each PJSIP endpoint and SIP peer,
 * grouped where they land in the same context the same way; every context when there is no
 * endpoint), partitioned by the resolver's own lookups (lookup-cells.ts via RouteRequest.observe).
 */
import { asteriskDomains } from './domains';
import { equals, intersect, members, type Dfa } from '../automata/dfa';
import { DIALABLE_UNIVERSE } from './partition';
import type { AsteriskModel } from '../model/asterisk';
import { asteriskResolver } from '../resolvers/asterisk';
import { dialplanIndex } from '../resolvers/asterisk/dialplan-index';
import { nameLanguage } from '../automata/asterisk/pattern-re';
import { RouteUsageError, type RouteAnswer } from '../resolvers/types';
import type { CoverageEngine, CoverageEntry, CoverageOptions, CoverageVia } from './types';

/** Literal extensions of the contexts a context searches (itself and its includes): the seeds. */
function literalSeeds(model: AsteriskModel, context: string): () => Iterable<string> {
  return function* seeds() {
    const index = dialplanIndex(model);
    const seen = new Set<string>();
    const stack = [context];
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      const ci = index.contexts.get(name);
      if (!ci) continue;
      for (const e of ci.sorted) if (!e.matchName.startsWith('_')) yield e.matchName;
      for (const inc of ci.context.includes) stack.push(inc.context);
    }
  };
}

function contextEntry(model: AsteriskModel, options: CoverageOptions, name: string): CoverageEntry {
  const ctx = model.dialplan.contexts.get(name);
  const loc = ctx?.locations[0];
  return {
    entry: { kind: 'context', name, file: loc?.file ?? model.dialplan.file ?? model.root, line: loc?.line ?? 1 },
    request: { ...options.base, user: '', method: 'INVITE', context: name, endpoint: undefined },
    seeds: literalSeeds(model, name),
    lookupContext: name,
  };
}

export const asteriskCoverage: CoverageEngine<AsteriskModel> = {
  entries(model, options) {
    const base = options.base;
    if (base.context !== undefined) {
      // A context that does not exist is mapped as route answers it (every number 404), not refused.
      return [contextEntry(model, options, base.context)];
    }
    const out: CoverageEntry[] = [];
    // Endpoints landing in the same context the same way get the same map: computed once, listed together.
    const groups = new Map<string, { entry: CoverageEntry; names: string[] }>();
    const add = (key: string, make: () => CoverageEntry, name: string) => {
      const g = groups.get(key);
      if (g) g.names.push(name);
      else {
        const entry = make();
        groups.set(key, { entry, names: [name] });
        out.push(entry);
      }
    };
    const wanted = base.endpoint;
    for (const ep of model.pjsip.endpoints.values()) {
      if (wanted !== undefined && ep.id !== wanted) continue;
      const ctx = (ep.overlapContext ?? ep.context).value;
      add(`pjsip\u0000${ctx}\u0000${ep.allowOverlap}`, () => ({
        entry: { kind: 'endpoint', name: ep.id, file: ep.location.file, line: ep.location.line },
        request: { ...base, user: '', method: 'INVITE', endpoint: ep.id, context: undefined },
        seeds: literalSeeds(model, ctx),
        lookupContext: ctx,
      }), ep.id);
    }
    for (const peer of model.sip.peers.values()) {
      if (wanted !== undefined && peer.name !== wanted) continue;
      if (model.pjsip.endpoints.has(peer.name)) continue;
      const overlap = (peer.allowOverlap ?? model.sip.general.allowoverlap) === 'yes' && model.sip.general.allowoverlap !== 'no';
      add(`sip\u0000${peer.context.value}\u0000${overlap}`, () => ({
        entry: { kind: 'peer', name: peer.name, file: peer.location.file, line: peer.location.line },
        request: { ...base, user: '', method: 'INVITE', endpoint: peer.name, context: undefined },
        seeds: literalSeeds(model, peer.context.value),
        lookupContext: peer.context.value,
      }), peer.name);
    }
    if (wanted !== undefined && out.length === 0) {
      // The resolver says which names exist.
      asteriskResolver.route(model, { ...base, user: 's', method: 'INVITE' });
      throw new RouteUsageError(`no endpoint or peer named "${wanted}"`);
    }
    for (const g of groups.values()) if (g.names.length > 1) g.entry.entry.alsoFrom = g.names.slice(1);
    if (out.length === 0) for (const name of model.dialplan.contexts.keys()) out.push(contextEntry(model, options, name));
    // the Request-URI host map (coverage/domains.ts) rides on the first entry
    if (out[0] && !out[0].domains) out[0].domains = () => asteriskDomains(model);
    return out;
  },

  route(model, request): RouteAnswer {
    return asteriskResolver.route(model, request);
  },

  // `--context C`: chan_pjsip's (or chan_sip's) lookup in C for an identified caller whose context
  // it is (resolvers/asterisk identify), the same request otherwise.
  intoContext(request, context) {
    return { ...request, endpoint: undefined, context };
  },

  via(answer): CoverageVia | null {
    // The winning extension's priority 1 (the first priority the run executed), else where the
    // lookup failed (the context step of a 404/484).
    for (const s of answer.steps) {
      if (s.kind === 'priority' || s.kind === 'context') return { file: s.file, line: s.line, context: s.context, extension: s.extension };
    }
    const first = answer.outcomes[0]?.steps.find((s) => s.kind === 'priority' || s.kind === 'context');
    return first && answer.outcomes.every((o) => o.steps.some((s) => s.file === first.file && s.line === first.line)) ? { file: first.file, line: first.line, context: first.context, extension: first.extension } : null;
  },

  notation(model, language: Dfa) {
    if (language.single !== undefined && !language.dashed) return language.single;
    const one = members(language, 1);
    if (one?.length === 1) return one[0];
    for (const name of patternNames(model)) if (equals(language, dialable(name))) return name;
    return undefined;
  },

  extensionLengths(model) {
    const lengths = new Map<number, number>();
    for (const ep of model.pjsip.endpoints.values()) if (/^\d+$/.test(ep.id)) lengths.set(ep.id.length, (lengths.get(ep.id.length) ?? 0) + 1);
    return [...lengths.keys()];
  },
};

const dialableLanguages = new Map<string, Dfa>();
/** A pattern's strings within the map's universe (the dialable strings). */
function dialable(name: string): Dfa {
  let d = dialableLanguages.get(name);
  if (!d) {
    d = intersect(nameLanguage(name, 'match'), DIALABLE_UNIVERSE);
    if (dialableLanguages.size > 10_000) dialableLanguages.clear();
    dialableLanguages.set(name, d);
  }
  return d;
}

const namesOf = new WeakMap<AsteriskModel, string[]>();
/** Every pattern name of the dialplan (for the notation of a class that is exactly one pattern). */
function patternNames(model: AsteriskModel): string[] {
  let names = namesOf.get(model);
  if (!names) {
    const set = new Set<string>();
    for (const ci of dialplanIndex(model).contexts.values()) for (const e of ci.sorted) if (e.matchName.startsWith('_') && set.size < 5000) set.add(e.matchName);
    names = [...set];
    namesOf.set(model, names);
  }
  return names;
}

