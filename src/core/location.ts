/** Where something came from. Lines and columns are 1-based, as editors and SARIF count them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export function loc(file: string, line: number, column = 1): SourceLocation {
  return { file, line, column };
}

export function formatLocation(l: SourceLocation): string {
  return `${l.file}:${l.line}:${l.column}`;
}
