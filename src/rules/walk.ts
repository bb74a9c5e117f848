/**
 * The one walk over a model that the runner makes for all rules' visitors (see
 * AsteriskDialplanVisitor in ./api). Kamailio and FreeSWITCH rules have no visitors yet: their
 * models are small next to a 150,000-line dialplan.
 */
import type { AnyModel } from '../model';
import type { AsteriskModel, Priority } from '../model/asterisk';
import type { ContextIndex, DialplanExtension } from '../resolvers/asterisk/dialplan-index';
import type { AsteriskDialplanVisitor } from './api';

/** What a visitor that threw is told with: its position in `visitors`, and the error. */
export type VisitorFailed = (visitor: number, error: unknown) => void;

export function walkModel(model: AnyModel, visitors: readonly object[], failed: VisitorFailed): void {
  if (visitors.length === 0) return;
  if (model.platform === 'asterisk') walkAsteriskDialplan(model, visitors as readonly AsteriskDialplanVisitor[], failed);
}

/**
 * Every registered extension of every context in dialplanIndex order, then each of its lines
 * (DialplanExtension.forEachRegisteredPriority), given to each visitor in turn. A visitor that throws is
 * reported through `failed` and visited no more; the others go on.
 */
export function walkAsteriskDialplan(model: AsteriskModel, visitors: readonly AsteriskDialplanVisitor[], failed: VisitorFailed): void {
  // Required here, not at the top: a Kamailio or FreeSWITCH lint does not load the Asterisk resolver.
  const { dialplanIndex } = require('../resolvers/asterisk/dialplan-index') as typeof import('../resolvers/asterisk/dialplan-index');
  const alive = visitors.map(() => true);
  const extensionVisitors = visitors.flatMap((v, i) => (v.extension ? [i] : []));
  const lineVisitors = visitors.flatMap((v, i) => (v.priority ? [i] : []));
  const fail = (i: number, error: unknown) => {
    alive[i] = false;
    failed(i, error);
  };
  // The extension and context being walked, read by the one line callback (no closure per extension).
  let ext: DialplanExtension;
  let context: ContextIndex;
  const visitLine = (line: Priority) => {
    for (let j = 0; j < lineVisitors.length; j++) {
      const i = lineVisitors[j];
      if (!alive[i]) continue;
      try {
        visitors[i].priority!(line, ext, context);
      } catch (e) {
        fail(i, e);
      }
    }
  };
  for (const ci of dialplanIndex(model).contexts.values()) {
    context = ci;
    const sorted = ci.sorted;
    for (let k = 0; k < sorted.length; k++) {
      ext = sorted[k];
      for (let j = 0; j < extensionVisitors.length; j++) {
        const i = extensionVisitors[j];
        if (!alive[i]) continue;
        try {
          visitors[i].extension!(ext, ci);
        } catch (e) {
          fail(i, e);
        }
      }
      if (lineVisitors.length > 0) ext.forEachRegisteredPriority(visitLine);
    }
  }
}
