/**
 * Where a report is written a piece at a time (writeOutput in src/config/lint-command.ts), so that
 * a report of tens of thousands of findings is never held whole, and the pieces need not be
 * strings made for the purpose: a reporter hands over constant text, strings to quote as JSON and
 * numbers, and the sink that writes bytes (the CLI's) encodes them straight into its buffer.
 */
export interface ReportSink {
  /** Text as it is. */
  text(s: string): void;
  /** `s` as a JSON string literal: the text of JSON.stringify(s). */
  json(s: string): void;
  /**
   * The same as text(s), for text most findings share with others (a finding's head of rule id,
   * severity and file; a wire text): its encoding is kept and reused while the same strings come
   * back.
   */
  textShared(s: string): void;
  /** A number as JSON.stringify writes it (NaN and infinities as null). */
  number(n: number): void;
}

/** How many shared texts a sink keeps encoded before it forgets them all. */
const SHARED = 64;

/** A number as JSON.stringify writes it. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** A sink that hands strings to `emit` (made here only for quoted values and numbers). */
export class StringSink implements ReportSink {
  constructor(readonly text: (s: string) => void) {}

  json(s: string): void {
    this.text(JSON.stringify(s));
  }

  textShared(s: string): void {
    this.text(s);
  }

  number(n: number): void {
    this.text(jsonNumber(n));
  }
}

/** A character JSON.stringify writes as an escape other than a quote's or a backslash's, or one beyond ASCII. */
const NOT_PLAIN_ASCII = /[\u0000-\u001f\u0080-\uffff]/;

/** Constant text up to this length is copied a character at a time (a call into C++ costs more). */
const SHORT = 48;

/**
 * A sink that encodes every piece as UTF-8 into one reused buffer, handed to `writeBytes` when
 * full (the bytes are lent: written or copied before it returns). No string is made of the pieces
 * joined, and text that is ASCII (nearly all of a report: field names, rule ids, positions, most
 * messages) is copied into the buffer by JavaScript, without the string JSON.stringify would make
 * of each quoted value: for the JSON of 40,000 findings (21 MB) the report phase allocated 97 MB
 * when each finding was a string built by template literals and then encoded.
 */
export class ByteSink implements ReportSink {
  private readonly buffer: Buffer;
  private used = 0;
  private readonly shared = new Map<string, Buffer>();

  constructor(
    private readonly writeBytes: (bytes: Uint8Array) => void,
    private readonly size = 1 << 16,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Writes what the buffer holds. */
  flush(): void {
    if (this.used > 0) this.writeBytes(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  text(s: string): void {
    const n = s.length;
    if (n > SHORT) return this.encode(s);
    if (this.used + n > this.size) this.flush();
    const buffer = this.buffer;
    let u = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Beyond ASCII: encoded by Node instead (from this.used: what was copied is not counted).
      if (c >= 0x80) return this.encode(s);
      buffer[u++] = c;
    }
    this.used = u;
  }

  json(s: string): void {
    // What JSON.stringify escapes besides quote and backslash (controls, lone surrogates) and what
    // takes more than a byte: quoted by JSON.stringify, encoded by Node. The test also makes a
    // string built by concatenation flat (one sequence of characters), which the loop below then
    // reads directly: on a concatenated string each charCodeAt is a slower lookup.
    if (NOT_PLAIN_ASCII.test(s)) return this.encode(JSON.stringify(s));
    const n = s.length;
    if (2 * n + 2 > this.size) return this.encode(JSON.stringify(s));
    if (this.used + 2 * n + 2 > this.size) this.flush();
    const buffer = this.buffer;
    let u = this.used;
    buffer[u++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22 || c === 0x5c) buffer[u++] = 0x5c;
      buffer[u++] = c;
    }
    buffer[u++] = 0x22;
    this.used = u;
  }

  textShared(s: string): void {
    let bytes = this.shared.get(s);
    if (bytes === undefined) {
      if (this.shared.size >= SHARED) this.shared.clear();
      this.shared.set(s, (bytes = Buffer.from(s, 'utf8')));
    }
    if (this.used + bytes.length > this.size) {
      this.flush();
      if (bytes.length > this.size) return this.writeBytes(bytes);
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  number(n: number): void {
    // Positions: digits written without a string made for them.
    if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
      if (this.used + 10 > this.size) this.flush();
      const buffer = this.buffer;
      let digits = 1;
      for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
      let u = this.used + digits;
      this.used = u;
      let x = n;
      do {
        buffer[--u] = 0x30 + (x % 10);
        x = (x / 10) | 0;
      } while (x > 0);
      return;
    }
    this.text(jsonNumber(n));
  }

  /** Any text, encoded by Node (a UTF-16 code unit takes at most 3 bytes of UTF-8). */
  private encode(s: string): void {
    if (this.used + s.length * 3 > this.size) {
      this.flush();
      if (s.length * 3 > this.size) return this.writeBytes(Buffer.from(s, 'utf8'));
    }
    this.used += this.buffer.write(s, this.used);
  }
}
