/** Where something came from. Lines and columns are 1-based, as editors and SARIF count them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}
