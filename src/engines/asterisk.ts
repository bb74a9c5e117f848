import * as path from 'path';
import type { AsteriskModel } from '../model/asterisk';
import type { Engine, RootRef } from './types';

const ROOT_FILES = ['extensions.conf', 'pjsip.conf', 'sip.conf'];

/** An Asterisk root is a config directory (astetcdir) holding extensions.conf, pjsip.conf or sip.conf. */
export const asteriskEngine: Engine<'asterisk'> = {
  platform: 'asterisk',
  discover(dir, entries) {
    // FreeSWITCH's conf directory carries an extensions.conf for mod_dialplan_asterisk: not ours.
    const isFreeswitch = entries.includes('freeswitch.xml') || entries.includes('vars.xml');
    const isRoot = !isFreeswitch && ROOT_FILES.some((f) => entries.includes(f));
    return { roots: isRoot ? [{ platform: 'asterisk', path: dir }] : [], stopDescent: false };
  },
  claimFile(file): RootRef | null {
    const base = path.basename(file);
    if (ROOT_FILES.includes(base) || base === 'pjsip_wizard.conf') return { platform: 'asterisk', path: path.dirname(file) };
    return null;
  },
  // Parser, resolver and graph load on first use (see ENGINES).
  load(root, _options): AsteriskModel {
    return (require('../parsers/asterisk') as typeof import('../parsers/asterisk')).loadAsterisk(root.path);
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
