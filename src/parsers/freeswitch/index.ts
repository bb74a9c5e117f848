/**
 * Loads a FreeSWITCH conf directory into the model: pre-process (preprocess.ts) → parse with
 * positions (xml.ts) → read the directory, sofia profiles, dialplan and modules out of the tree
 * (build.ts). Never throws on input: every problem is a LoadIssue.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { FreeswitchModel } from '../../model/freeswitch';
import { buildModel } from './build';
import { preprocessFile, preprocessStockLayout } from './preprocess';
import { parseFlattened } from './xml';

export function loadFreeswitch(confDir: string, vars: Record<string, string> = {}): FreeswitchModel {
  const mainFile = path.join(confDir, 'freeswitch.xml');
  const hasMain = fs.existsSync(mainFile);
  const flat = hasMain ? preprocessFile(mainFile, vars) : preprocessStockLayout(confDir, vars);
  const { root, issues } = parseFlattened(flat);
  const model = buildModel(confDir, hasMain ? mainFile : undefined, flat, root);
  model.issues.push(...issues);
  if (!hasMain) {
    model.issues.push({
      kind: 'not-modelled',
      severity: 'info',
      location: { file: path.join(confDir, 'vars.xml'), line: 1, column: 1 },
      message: 'no freeswitch.xml here: read as the stock layout (vars.xml, autoload_configs/*.xml, dialplan/*.xml, directory/*.xml)',
    });
  }
  return model;
}
