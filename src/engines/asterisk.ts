import * as path from 'path';
import type { AsteriskModel } from '../model/asterisk';
import * as fs from 'fs';
import type { Engine, RootRef } from './types';
import { fragmentModel } from './fragment-model';

/** An `.inc` is Asterisk's when it has a `[section]` header line (a Kamailio .inc has none). */
function looksLikeAsteriskText(file: string): boolean {
  try {
    return /^\s*\[[^\]\n]+\]/m.test(fs.readFileSync(file, 'utf8').slice(0, 64 * 1024));
  } catch {
    return false;
  }
}

const ROOT_FILES = ['extensions.conf', 'pjsip.conf', 'sip.conf'];
const SAMPLE = '.sample';

/**
 * An Asterisk root is a config directory (astetcdir) holding extensions.conf, pjsip.conf or
 * sip.conf — or Asterisk's configs/samples, holding them as *.conf.sample.
 */
export const asteriskEngine: Engine<'asterisk'> = {
  platform: 'asterisk',
  discover(dir, entries) {
    // FreeSWITCH's conf directory carries an extensions.conf for mod_dialplan_asterisk: not ours.
    const isFreeswitch = entries.includes('freeswitch.xml') || entries.includes('vars.xml');
    if (isFreeswitch) return { roots: [], stopDescent: false };
    if (ROOT_FILES.some((f) => entries.includes(f))) return { roots: [{ platform: 'asterisk', path: dir }], stopDescent: false };
    // Asterisk's configs/samples: the same files as *.conf.sample, which `make samples` installs without the suffix.
    if (ROOT_FILES.some((f) => entries.includes(f + SAMPLE))) return { roots: [{ platform: 'asterisk', path: dir, suffix: SAMPLE }], stopDescent: false };
    return { roots: [], stopDescent: false };
  },
  claimFile(file): RootRef | null {
    const base = path.basename(file);
    if (ROOT_FILES.includes(base) || base === 'pjsip_wizard.conf') return { platform: 'asterisk', path: path.dirname(file) };
    if (ROOT_FILES.some((f) => base === f + SAMPLE)) return { platform: 'asterisk', path: path.dirname(file), suffix: SAMPLE };
    return null;
  },
  isFragment(file) {
    // Shell fragments that Asterisk's scripts source, not config.c: not in its config format.
    if (/^(ast_debug_tools|dbsep)\.conf(\.sample)?$/.test(path.basename(file))) return false;
    return /\.conf(\.sample)?$/.test(file) || (/\.inc$/.test(file) && looksLikeAsteriskText(file));
  },
  loadFragment(file) {
    // main/config.c reads a file relative to the config directory; for a fragment alone, its own.
    const { readConf } = require('../parsers/asterisk/conf') as typeof import('../parsers/asterisk/conf');
    const doc = readConf(path.dirname(file), path.basename(file));
    return fragmentModel('asterisk', file, doc.sources, doc.issues);
  },
  // Parser, resolver and graph load on first use (see ENGINES).
  load(root, _options): AsteriskModel {
    const model = (require('../parsers/asterisk') as typeof import('../parsers/asterisk')).loadAsterisk(root.path, { suffix: root.suffix });
    if (root.suffix) {
      const main = ROOT_FILES.map((f) => path.join(root.path, f + root.suffix)).find((f) => fs.existsSync(f)) ?? root.path;
      model.issues.push({ kind: 'not-modelled', severity: 'info', location: { file: main, line: 1, column: 1 }, message: `read as Asterisk's sample configuration: each file is <name>${root.suffix}, as \`make samples\` installs it under <name>` });
    }
    return model;
  },
  get resolver() {
    return (require('../resolvers/asterisk') as typeof import('../resolvers/asterisk')).asteriskResolver;
  },
  get graph() {
    return (require('../graph/asterisk') as typeof import('../graph/asterisk')).asteriskGraph;
  },
  get coverage() {
    return (require('../coverage/asterisk') as typeof import('../coverage/asterisk')).asteriskCoverage;
  },
};
