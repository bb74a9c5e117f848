import { createRule } from '../src/rules/api';
import type { DialplanContext, Include } from '../src/model/asterisk';

export default createRule({
  id: 'include-cycle',
  description: 'Contexts that include each other in a cycle',
  defaultSeverity: 'warning',
  platforms: ['asterisk'],
  docs: {
    why: 'pbx_find_extension skips contexts it has already searched, so a cycle does not hang Asterisk, but it means the include order is not what the author thought: a context can only add its extensions once, and which copy wins depends on where the search entered.',
    engineBehaviour: 'main/pbx.c pbx_find_extension keeps an include stack (incstack) and returns when a context is already on it (strcasecmp).',
    bad: '[a]\ninclude => b\n[b]\ninclude => a',
    good: '[a]\ninclude => common\n[b]\ninclude => common\n[common]\nexten => 100,1,Answer()',
    fix: 'Move the shared extensions into a context both include, and remove the back-reference.',
  },
  check({ model, report }) {
    const contexts = model.dialplan.contexts;
    const reported = new Set<string>();
    const state = new Map<string, 'active' | 'done'>();
    const path: { ctx: DialplanContext; via?: Include }[] = [];
    const visit = (ctx: DialplanContext, via?: Include) => {
      state.set(ctx.name, 'active');
      path.push({ ctx, via });
      for (const inc of ctx.includes) {
        const target = contexts.get(inc.context);
        if (!target) continue;
        const s = state.get(target.name);
        if (s === 'active') {
          const start = path.findIndex((p) => p.ctx === target);
          const cycle = [...path.slice(start).map((p) => p.ctx.name), target.name];
          const key = [...cycle].sort().join('\0');
          if (!reported.has(key)) {
            reported.add(key);
            report({ location: inc.location, message: `include cycle: ${cycle.map((c) => `[${c}]`).join(' → ')}`, fix: 'move the shared extensions into one context that each of these includes, and drop the include that closes the cycle' });
          }
        } else if (s !== 'done') visit(target, inc);
      }
      path.pop();
      state.set(ctx.name, 'done');
    };
    for (const ctx of contexts.values()) if (!state.has(ctx.name)) visit(ctx);
  },
});
