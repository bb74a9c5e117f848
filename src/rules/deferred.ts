/**
 * Findings whose texts are built when a reporter reads them (issue 18). A broken dialplan of
 * 50,000 extensions gave 40,000 findings, each with its message, wire and fix built by template
 * literals in the rule: 690,000 concatenated-string cells (22 MB) kept until the report was
 * written, nearly half the run spent in garbage collection. A deferred finding keeps the position
 * and the few values its texts are made of; the texts exist only while a reporter writes them.
 */
import type { Finding, Platform, Severity } from '../core/findings';
import type { SourceLocation } from '../core/location';

/** What a reporter prints of a finding besides its position. */
export interface FindingText {
  message: string;
  wire?: string;
  fix?: string;
  related?: { location: SourceLocation; message: string }[];
}

/**
 * A report whose texts are made from `data` by `text` when they are read. `text` should be one
 * function shared by all reports of a rule (a module-level function, not a closure per report),
 * and `data` hold only what differs between findings.
 */
export interface DeferredReport<D> {
  location: SourceLocation;
  severity?: Severity;
  data: D;
  text: (data: D) => FindingText;
}

type Related = NonNullable<Finding['related']>;

/**
 * The texts of the finding read last: a reporter reads message, wire, fix and related of one
 * finding in a row, and they are built together once; only one finding's texts are kept.
 */
const last: { finding?: DeferredFinding; text?: FindingText } = {};

/**
 * What the findings of one rule share: the rule, severity, platform and text builder are the
 * same for all of them, kept once instead of in each of 40,000 findings. `build` is given what
 * the finding's texts are made of (DeferredFinding.textData).
 */
export class FindingKind {
  constructor(
    readonly ruleId: string,
    readonly severity: Severity,
    readonly platform: Platform | undefined,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly build: (data: any) => FindingText,
  ) {}
}

/**
 * A finding whose texts are built when read. The position is copied from the report's location
 * into the finding (three small fields, not a location object kept per finding: a Dial target's
 * location is made when the line is read, and the finding was all that kept it).
 *
 * A rule that finds tens of thousands may extend this class with the fields its texts are made
 * of (rules/dial-endpoint-missing.ts): one object per finding, its kind's `build` given the
 * finding itself. DataFinding keeps them in a `data` object of their own instead.
 */
export class DeferredFinding implements Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(
    private readonly kind: FindingKind,
    location: SourceLocation,
  ) {
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }

  get ruleId(): string {
    return this.kind.ruleId;
  }

  get severity(): Severity {
    return this.kind.severity;
  }

  get platform(): Platform | undefined {
    return this.kind.platform;
  }

  get endLine(): number | undefined {
    return undefined;
  }

  get endColumn(): number | undefined {
    return undefined;
  }

  /** What the kind's `build` makes the texts from: this finding, unless a subclass says otherwise. */
  protected textData(): unknown {
    return this;
  }

  private text(): FindingText {
    if (last.finding !== this) {
      last.text = this.kind.build(this.textData());
      last.finding = this;
    }
    return last.text!;
  }

  get message(): string {
    return this.text().message;
  }

  get wire(): string | undefined {
    return this.text().wire;
  }

  get fix(): string | undefined {
    return this.text().fix;
  }

  get related(): Related | undefined {
    return this.text().related?.map((x) => ({ file: x.location.file, line: x.location.line, column: x.location.column, message: x.message }));
  }

  /** The plain finding (JSON.stringify, structured clone to another thread). */
  toJSON(): Finding {
    return plainFinding(this);
  }
}

/** A DeferredReport's finding: its texts are made from `data`; a location with an end is kept as it is. */
export class DataFinding extends DeferredFinding {
  private readonly end: SourceLocation | undefined;

  constructor(
    kind: FindingKind,
    location: SourceLocation,
    private readonly data: unknown,
  ) {
    super(kind, location);
    this.end = location.endLine !== undefined || location.endColumn !== undefined ? location : undefined;
  }

  override get endLine(): number | undefined {
    return this.end?.endLine;
  }

  override get endColumn(): number | undefined {
    return this.end?.endColumn;
  }

  protected override textData(): unknown {
    return this.data;
  }
}

/**
 * A finding as a plain object with its texts built, fields in the order the JSON output has
 * always had (fields that are undefined are left out).
 */
export function plainFinding(f: Finding): Finding {
  // Built field by field: message follows the position, as in the objects the runner made.
  const out = { ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, column: f.column } as Finding;
  if (f.endLine !== undefined) out.endLine = f.endLine;
  if (f.endColumn !== undefined) out.endColumn = f.endColumn;
  out.message = f.message;
  const wire = f.wire;
  if (wire !== undefined) out.wire = wire;
  const fix = f.fix;
  if (fix !== undefined) out.fix = fix;
  if (f.platform !== undefined) out.platform = f.platform;
  const related = f.related;
  if (related !== undefined) out.related = related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message }));
  if (f.numbers !== undefined) out.numbers = f.numbers.map((n) => ({ ...n, ...(n.via ? { via: { ...n.via } } : {}) }));
  return out;
}
