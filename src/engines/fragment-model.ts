import * as path from 'path';
import type { LoadIssue, Platform } from '../core/findings';
import type { ConfigSource, ModelBase } from '../model/common';

/** The model of a fragment checked on its own: its files and the load issues, nothing to route. */
export function fragmentModel(platform: Platform, file: string, sources: ConfigSource[], issues: LoadIssue[]): ModelBase {
  return { platform, root: path.dirname(file), mainFile: file, sources, issues, localDomains: [], routesAnyDomain: true, endpoints: [], entryPoints: [] };
}
