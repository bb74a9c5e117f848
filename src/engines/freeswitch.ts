import * as fs from 'fs';
import * as path from 'path';
import type { FreeswitchModel } from '../model/freeswitch';
import { loadFreeswitch } from '../parsers/freeswitch';
import { freeswitchResolver } from '../resolvers/freeswitch';
import type { Engine, RootRef } from './types';

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
  load(root, options): FreeswitchModel {
    return loadFreeswitch(root.path, options.vars ?? {});
  },
  resolver: freeswitchResolver,
};
