/**
 * The common view's endpoints of an Asterisk model (ModelBase.endpoints), made when first read
 * (src/parsers/asterisk/index.ts fillCommonView), and the few a rule needs made without the rest.
 * A module of its own, importing nothing: trunk-number-format uses it, and the rules are loaded
 * without the parser by `pbxlint rules` and SARIF output of other engines.
 */
import type { AsteriskModel } from '../../model/asterisk';
import type { Endpoint } from '../../model/common';

/**
 * What the common view's endpoints are made from, for a model whose `endpoints` were not read:
 * lint reads only the trunks' (trunk-number-format), and a model of 10,000 PJSIP endpoints kept
 * 10,000 of them with their context, reachability and AOR entries (~2.8 MB) for nothing.
 */
export interface EndpointSource {
  /** Endpoints in model order: PJSIP endpoints, then SIP peers. */
  count: number;
  name(k: number): string;
  /** 1 when the k-th is a trunk. */
  trunks: Uint8Array;
  make(k: number): Endpoint;
}

const endpointSources = new WeakMap<AsteriskModel, EndpointSource>();

/**
 * The common view's endpoints `wanted` keeps (by name and whether each is a trunk), in model
 * order: those of `model.endpoints` when that list was made, else made alike without the others.
 */
export function asteriskEndpointsWhere(model: AsteriskModel, wanted: (name: string, isTrunk: boolean) => boolean): Endpoint[] {
  const source = endpointSources.get(model);
  if (source === undefined) return model.endpoints.filter((ep) => wanted(ep.name, ep.isTrunk));
  const out: Endpoint[] = [];
  for (let k = 0; k < source.count; k++) if (wanted(source.name(k), source.trunks[k] === 1)) out.push(source.make(k));
  return out;
}

/** Registers (or, with undefined, forgets) what the model's endpoints are made from. */
export function setEndpointSource(model: AsteriskModel, source: EndpointSource | undefined): void {
  if (source === undefined) endpointSources.delete(model);
  else endpointSources.set(model, source);
}
