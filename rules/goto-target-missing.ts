import { createRule } from '../src/rules/api';
import type { JumpTarget, Priority } from '../src/model/asterisk';
import type { ContextIndex, DialplanExtension } from '../src/resolvers/asterisk/dialplan-index';
import { findExtension, labelMayBeFound } from '../src/resolvers/asterisk/find';
import { isDialApp } from '../src/parsers/asterisk/applications';
import type { FindingText } from '../src/rules/deferred';

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
    // Many priorities jump to the same few places (a menu, a voicemail context): each
    // (context, extension) and (context, extension, label) is looked up once.
    const extensionExists = new Map<string, boolean>();
    const labelExists = new Map<string, boolean>();
    // A label is looked up as Asterisk does at run time (pbx_parseable_goto → ast_findlabel_extension):
    // the first matching extension that carries it, in the context or its includes.
    const labelFound = (ctxName: string, exten: string, label: string) => {
      const labelKey = `${ctxName}\0${exten}\0${label}`;
      let labelled = labelExists.get(labelKey);
      if (labelled === undefined) {
        labelled = labelMayBeFound(model, ctxName, exten, label);
        labelExists.set(labelKey, labelled);
      }
      return labelled;
    };
    // Deferred reports (src/rules/deferred.ts): a broken dialplan can jump to a missing place from
    // thousands of lines; the texts are built when a reporter prints them.
    const checkTarget = (t: JumpTarget, ci: ContextIndex, ext: DialplanExtension, p: Priority) => {
      if (t.dynamic) return;
      const ctxName = t.context ?? ci.context.name;
      const missing = (kind: GotoFinding['kind']) => report<GotoFinding>({ location: t.location, data: { kind, target: t, context: ctxName, extension: ext.name, priority: p.number, from: ci.context.name, app: p.app }, text: gotoText });
      if (!model.dialplan.contexts.has(ctxName)) {
        missing('context');
        return;
      }
      // Without an explicit extension the jump stays in the current (possibly pattern) extension.
      if (t.extension === undefined) {
        if (/^\d+$/.test(t.priority)) {
          if (!ext.registeredPriorities.has(parseInt(t.priority, 10))) missing('priority');
        } else if (!/^[+-]\d+$/.test(t.priority) && !ext.registeredLabels.has(t.priority) && (ext.isPattern || !labelFound(ctxName, ext.matchName, t.priority))) {
          // The lookup is by the channel's extension, the dialled string: for a literal that is its
          // name, and another matching extension or an include may carry the label. (For a pattern
          // it depends on the number dialled; only the extension's own labels are checked.)
          missing('own-label');
        }
        return;
      }
      const key = `${ctxName}\0${t.extension}`;
      let exists = extensionExists.get(key);
      if (exists === undefined) {
        exists = !findExtension(model, { context: ctxName, exten: t.extension, priority: 1, mode: 'match' }).every((b) => b.kind === 'none');
        extensionExists.set(key, exists);
      }
      if (!exists) {
        missing('extension');
        return;
      }
      if (/^\d+$/.test(t.priority) || /^[+-]\d+$/.test(t.priority)) return;
      if (!labelFound(ctxName, t.extension, t.priority)) missing('label');
    };

    return {
      priority(p, ext, ci) {
        const jumps = p.jumps;
        for (let j = 0; j < jumps.length; j++) checkTarget(jumps[j], ci, ext, p);
        // Only Dial(Local/…) jumps into the dialplan: other Dial lines are not parsed here.
        if (!isDialApp(p.app) || !LOCAL_CHANNEL.test(p.args)) return;
        const dials = p.dials;
        for (let j = 0; j < dials.length; j++) {
          const d = dials[j];
          if (d.dynamic || d.number === undefined || !isLocal(d.tech)) continue;
          checkTarget({ app: 'Dial(Local)', context: d.resource, extension: d.number, priority: '1', dynamic: false, returns: true, location: d.location }, ci, ext, p);
        }
      },
    };
  },
});

/** What differs between this rule's findings; the texts are built from it when printed. */
interface GotoFinding {
  kind: 'context' | 'priority' | 'own-label' | 'extension' | 'label';
  target: JumpTarget;
  /** The context jumped to. */
  context: string;
  /** Where the jump is: extension, priority, context; and the application of that line. */
  extension: string;
  priority: number;
  from: string;
  app: string;
}

const HUNG_UP = 'the call is hung up there (603 if not yet answered) instead of going on';

function gotoText(f: GotoFinding): FindingText {
  const t = f.target;
  const shown = `${t.app}(${[t.context, t.extension, t.priority].filter((x) => x !== undefined).join(',')})`;
  const where = `${f.extension},${f.priority}@${f.from}`;
  switch (f.kind) {
    case 'context':
      return { message: `${shown} at ${where}: context "${f.context}" does not exist`, wire: `a call reaching ${where} → ${HUNG_UP}`, fix: `create [${f.context}] or correct the context name (case-sensitive)` };
    case 'priority':
      return { message: `${shown} at ${where}: ${f.extension} has no priority ${t.priority}`, wire: `a call reaching ${where} → the dialplan ends there`, fix: `jump to an existing priority or label of ${f.extension}` };
    case 'own-label':
      return { message: `${shown} at ${where}: no label "${t.priority}" in ${f.extension}`, wire: `a call reaching ${where} → ${f.app} fails and the call is hung up`, fix: `add (${t.priority}) to a priority of ${f.extension}, or jump to an existing label` };
    case 'extension':
      return { message: `${shown} at ${where}: no extension ${t.extension} in [${f.context}] (or its includes)`, wire: `a call reaching ${where} → ${HUNG_UP}`, fix: `add exten => ${t.extension},1,… to [${f.context}] or correct the target` };
    case 'label':
      return { message: `${shown} at ${where}: no label "${t.priority}" on ${t.extension} in [${f.context}]`, wire: `a call reaching ${where} → ${f.app} fails and the call is hung up`, fix: `label a priority of ${t.extension} with (${t.priority}), or jump to a priority number` };
  }
}

/** A Dial argument naming a Local channel somewhere (one RegExp object: a literal in the visitor would make one per Dial line). */
const LOCAL_CHANNEL = /local\//i;

/** Dial(Local/…): tech names compare case-insensitively; the usual spellings skip toUpperCase, which V8 runs as a runtime call. */
function isLocal(tech: string): boolean {
  return tech === 'Local' || (tech !== 'PJSIP' && tech !== 'SIP' && tech.toUpperCase() === 'LOCAL');
}
