import type { Finding } from '../core/findings';
import type { AnyRule } from '../rules/api';

export interface ReportContext {
  /** Paths are printed relative to this directory. */
  cwd: string;
  color: boolean;
  rules: AnyRule[];
  /** Number of configuration roots and files that were read. */
  roots: number;
  files: number;
  /** Base URL of docs/rules/<id>.md pages (SARIF helpUri); a default points at the repository. */
  docsBaseUrl?: string;
}

export type Reporter = (findings: Finding[], ctx: ReportContext) => string;
