import { createRule } from '../src/rules/api';
import type { JumpTarget } from '../src/model/asterisk';
import { dialplanIndex } from '../src/resolvers/asterisk/dialplan-index';
import { findExtension } from '../src/resolvers/asterisk/find';
import { findLabel } from '../src/resolvers/asterisk/pbx';

export default createRule({
  id: 'goto-target-missing',
  description: 'Goto, GotoIf, Gosub, GosubIf, Macro or Dial(Local/…) to a context, extension or label that does not exist',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'A jump to a missing extension sends the channel to the "i" extension or hangs it up ("sent to invalid extension but no invalid handler"); an unanswered call then gets 603 (no hangup cause) instead of reaching its destination. A missing label makes the application fail and the call hang up. Gosub to a missing destination fails the same way.',
    engineBehaviour: 'main/pbx.c pbx_parseable_goto and __ast_pbx_run (invalid extension handling); apps/app_stack.c gosub_exec ("Attempt to reach a non-existent destination for Gosub"); apps/app_macro.c.',
    bad: '[features]\nexten => *98,1,Goto(voicemail-menu,s,start)\n; no [voicemail-menu]',
    good: '[features]\nexten => *98,1,Goto(voicemail-menu,s,start)\n\n[voicemail-menu]\nexten => s,1(start),VoiceMailMain()',
    fix: 'Point the jump at an existing context/extension/label (context names are case-sensitive, labels are per extension).',
  },
  check({ model, report }) {
    const index = dialplanIndex(model);
    for (const ci of index.contexts.values()) {
      for (const ext of ci.sorted) {
        for (const p of ext.priorities.values()) {
          const targets: JumpTarget[] = [...p.jumps];
          for (const d of p.dials) if (d.tech.toUpperCase() === 'LOCAL' && d.number !== undefined && !d.dynamic) targets.push({ app: 'Dial(Local)', context: d.resource, extension: d.number, priority: '1', dynamic: false, returns: true, location: d.location });
          for (const t of targets) {
            if (t.dynamic) continue;
            const ctxName = t.context ?? ci.context.name;
            const shown = `${t.app}(${[t.context, t.extension, t.priority].filter((x) => x !== undefined).join(',')})`;
            const where = `${ext.name},${p.number}@${ci.context.name}`;
            const consequence = 'the call is hung up there (603 if not yet answered) instead of going on';
            if (!model.dialplan.contexts.has(ctxName)) {
              report({ location: t.location, message: `${shown} at ${where}: context "${ctxName}" does not exist`, wire: `a call reaching ${where} → ${consequence}`, fix: `create [${ctxName}] or correct the context name (case-sensitive)` });
              continue;
            }
            // Without an explicit extension the jump stays in the current (possibly pattern) extension.
            if (t.extension === undefined) {
              if (/^\d+$/.test(t.priority)) {
                if (!ext.priorities.has(parseInt(t.priority, 10))) report({ location: t.location, message: `${shown} at ${where}: ${ext.name} has no priority ${t.priority}`, wire: `a call reaching ${where} → the dialplan ends there`, fix: `jump to an existing priority or label of ${ext.name}` });
              } else if (!/^[+-]\d+$/.test(t.priority) && !ext.labels.has(t.priority)) {
                report({ location: t.location, message: `${shown} at ${where}: no label "${t.priority}" in ${ext.name}`, wire: `a call reaching ${where} → ${p.app} fails and the call is hung up`, fix: `add (${t.priority}) to a priority of ${ext.name}, or jump to an existing label` });
              }
              continue;
            }
            const branches = findExtension(model, { context: ctxName, exten: t.extension, priority: 1, mode: 'match' });
            if (branches.every((b) => b.kind === 'none')) {
              report({ location: t.location, message: `${shown} at ${where}: no extension ${t.extension} in [${ctxName}] (or its includes)`, wire: `a call reaching ${where} → ${consequence}`, fix: `add exten => ${t.extension},1,… to [${ctxName}] or correct the target` });
              continue;
            }
            if (!/^\d+$/.test(t.priority) && !/^[+-]\d+$/.test(t.priority) && findLabel(model, ctxName, t.extension, t.priority) === undefined) {
              report({ location: t.location, message: `${shown} at ${where}: no label "${t.priority}" on ${t.extension} in [${ctxName}]`, wire: `a call reaching ${where} → ${p.app} fails and the call is hung up`, fix: `label a priority of ${t.extension} with (${t.priority}), or jump to a priority number` });
            }
          }
        }
      }
    }
  },
});
