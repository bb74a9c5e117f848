import * as fs from 'fs';
import * as path from 'path';
import type { FreeswitchModel } from '../model/freeswitch';
import type { Engine, RootRef } from './types';
import { fragmentModel } from './fragment-model';
import type { LoadIssue } from '../core/findings';

/**
 * Dialplan expressions using PCRE constructs pbxlint does not model (backtracking verbs, Unicode
 * properties; the rest of PCRE1 runs in automata/pcre/pcre-backtrack.ts): the simulator
 * forks on them; the loader says so once, where they are written.
 */
function unmodelledExpressions(model: FreeswitchModel): LoadIssue[] {
  const { compileExpression } = require('../automata/pcre/pcre') as typeof import('../automata/pcre/pcre');
  const { allConditions, staticValue } = require('../resolvers/freeswitch/queries') as typeof import('../resolvers/freeswitch/queries');
  const out: LoadIssue[] = [];
  for (const { condition, extension } of allConditions(model)) {
    const tests = [
      ...(condition.expression !== undefined && condition.expressionLocation ? [{ e: condition.expression, at: condition.expressionLocation }] : []),
      ...condition.regexes.map((r) => ({ e: r.expression, at: r.expressionLocation })),
    ];
    for (const { e, at } of tests) {
      const v = staticValue(model, e);
      if (v === null) continue;
      const c = compileExpression(v);
      if (c.kind === 'unsupported') out.push({ kind: 'not-modelled', severity: 'info', location: at, message: `extension "${extension.name}": /${v}/ uses a PCRE ${c.construct} (offset ${c.offset}), which pbxlint does not model; routes through it are shown both ways` });
      if ((c.kind === 'ok' || c.kind === 'pcre') && c.risky) out.push({ kind: 'not-modelled', severity: 'info', location: at, message: `extension "${extension.name}": /${v}/ nests quantifiers (catastrophic backtracking); values longer than 40 characters are matched under a step budget, past which routes through it are shown both ways` });
    }
  }
  return out;
}

const LAYOUT_DIRS = ['directory', 'dialplan', 'sip_profiles'];

/**
 * A FreeSWITCH root is its conf directory: the one holding freeswitch.xml (switch_xml_open_root
 * starts there), or vars.xml beside the stock directory/, dialplan/ or sip_profiles/ folders.
 * Everything below belongs to it, so discovery stops descending.
 */
function isRoot(entries: string[]): boolean {
  return entries.includes('freeswitch.xml') || (entries.includes('vars.xml') && LAYOUT_DIRS.some((d) => entries.includes(d)));
}

export const freeswitchEngine: Engine<'freeswitch'> = {
  platform: 'freeswitch',
  discover(dir, entries) {
    const root = isRoot(entries);
    return { roots: root ? [{ platform: 'freeswitch', path: dir }] : [], stopDescent: root };
  },
  claimFile(file): RootRef | null {
    const base = path.basename(file);
    if (base === 'freeswitch.xml') return { platform: 'freeswitch', path: path.dirname(file) };
    if (base === 'vars.xml') {
      let entries: string[];
      try {
        entries = fs.readdirSync(path.dirname(file));
      } catch {
        return null;
      }
      return isRoot(entries) ? { platform: 'freeswitch', path: path.dirname(file) } : null;
    }
    return null;
  },
  isFragment(file) {
    return /\.xml$/.test(file);
  },
  loadFragment(file, options) {
    const { preprocessFragment } = require('../parsers/freeswitch/preprocess') as typeof import('../parsers/freeswitch/preprocess');
    const { parseFlattened } = require('../parsers/freeswitch/xml') as typeof import('../parsers/freeswitch/xml');
    const flat = preprocessFragment(file, options.vars ?? {});
    const { issues } = parseFlattened(flat);
    return fragmentModel('freeswitch', file, flat.sources, [...flat.issues, ...issues]);
  },
  // Parser, resolver and graph load on first use (see ENGINES).
  load(root, options): FreeswitchModel {
    const model = (require('../parsers/freeswitch') as typeof import('../parsers/freeswitch')).loadFreeswitch(root.path, options.vars ?? {});
    model.issues.push(...unmodelledExpressions(model));
    return model;
  },
  get resolver() {
    return (require('../resolvers/freeswitch') as typeof import('../resolvers/freeswitch')).freeswitchResolver;
  },
  get graph() {
    return (require('../graph/freeswitch') as typeof import('../graph/freeswitch')).freeswitchGraph;
  },
  get coverage() {
    return (require('../coverage/freeswitch') as typeof import('../coverage/freeswitch')).freeswitchCoverage;
  },
};
