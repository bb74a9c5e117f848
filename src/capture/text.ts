/**
 * Text captures as people paste them, recognised by content:
 *  - `ngrep -W byline` output: headers `U [date time ]src:port -> dst:port [#N]` (T for TCP), the
 *    payload line by line with each CR shown as a final `.` (ngrep.c dump_byline), `#` separators;
 *  - dumps headed the same way without the trailing dots (`-W normal`-like logs, siptrace dumps);
 *  - sngrep's saved dialogs as text: `YYYY/MM/DD HH:MM:SS.uuuuuu src:port -> dst:port`, the
 *    payload, a blank line (sngrep src/curses/ui_save.c save_msg_txt);
 *  - raw SIP messages one after the other, without addresses.
 * Several messages in one block (a TCP segment) are cut apart by their Content-Length.
 */
import { isStartLine } from './sip';
import type { Capture, CaptureDiagnostic, CapturedMessage, Endpoint } from './types';

const ADDR = String.raw`(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*[0-9A-Fa-f])`;
/** ngrep / headed dump header: protocol letter, optional date and time, src -> dst, trailing flags or #N. */
const PROTO_HEADER = new RegExp(String.raw`^([UT]) (?:(\d{4}[/-]\d\d[/-]\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) )?${ADDR}:(\d+) -> ${ADDR}:(\d+)(?:\s.*)?$`);
/** sngrep text save: date time src -> dst, nothing else on the line. */
const SNGREP_HEADER = new RegExp(String.raw`^(\d{4}/\d\d/\d\d) (\d\d:\d\d:\d\d\.\d+) ${ADDR}:(\d+) -> ${ADDR}:(\d+)\s*$`);

interface Header {
  transport: CapturedMessage['transport'];
  src: Endpoint;
  dst: Endpoint;
  time?: number;
}

function endpoint(ip: string, port: string): Endpoint {
  return { ip: ip.replace(/^\[|\]$/g, ''), port: Number(port) };
}

function timeOf(date: string | undefined, time: string | undefined): number | undefined {
  if (!date || !time) return undefined;
  const t = Date.parse(`${date.replace(/\//g, '-')}T${time.slice(0, 12)}Z`);
  return Number.isNaN(t) ? undefined : t;
}

function header(line: string): (Header & { kind: 'ngrep' | 'sngrep' }) | null {
  const p = PROTO_HEADER.exec(line);
  if (p) return { kind: 'ngrep', transport: p[1] === 'T' ? 'TCP' : 'UDP', src: endpoint(p[4], p[5]), dst: endpoint(p[6], p[7]), time: timeOf(p[2], p[3]) };
  const s = SNGREP_HEADER.exec(line);
  if (s) return { kind: 'sngrep', transport: 'unknown', src: endpoint(s[3], s[4]), dst: endpoint(s[5], s[6]), time: timeOf(s[1], s[2]) };
  return null;
}

export function looksLikeText(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096);
  // Text: no NUL bytes in the first 4 KiB.
  return !head.includes(0);
}

/**
 * Cuts lines into SIP messages: a start line begins one once the previous message's body (by its
 * Content-Length; without one, up to the next start line) is complete.
 */
function splitMessages(lines: { text: string; line: number }[], base: Omit<CapturedMessage, 'text' | 'line'>, out: CapturedMessage[], diagnostics: CaptureDiagnostic[], reportSkipped = true): void {
  let current: { start: number; lines: string[]; inBody: boolean; contentLength: number | null; bodyBytes: number } | null = null;
  const flush = () => {
    if (!current) return;
    const ls = current.lines;
    // Trailing blank lines of the paste are separators, not body (the body is cut by Content-Length later).
    while (ls.length > 1 && ls[ls.length - 1] === '' && (current.contentLength === null || current.bodyBytes - 2 >= current.contentLength)) {
      ls.pop();
      current.bodyBytes -= 2;
    }
    // The last line's own CRLF (the blank separator's, for a message without a body).
    const text = ls.join('\r\n') + (current.inBody ? '\r\n' : '\r\n\r\n');
    out.push({ ...base, line: current.start, text });
    current = null;
  };
  let skipped = 0;
  for (const { text, line } of lines) {
    const complete = current !== null && current.inBody && (current.contentLength === null || current.bodyBytes >= current.contentLength);
    if (isStartLine(text) && (current === null || complete)) {
      flush();
      current = { start: line, lines: [text], inBody: false, contentLength: null, bodyBytes: 0 };
      continue;
    }
    if (!current) {
      if (text.trim()) skipped++;
      continue;
    }
    current.lines.push(text);
    if (!current.inBody) {
      if (text === '') current.inBody = true;
      else {
        const cl = /^(?:content-length|l)\s*:\s*([0-9]+)/i.exec(text);
        if (cl) current.contentLength = Number(cl[1]);
      }
    } else current.bodyBytes += Buffer.byteLength(text) + 2;
  }
  flush();
  if (reportSkipped && skipped && lines.length) diagnostics.push({ line: lines[0].line, message: `${skipped} line(s) that belong to no SIP message were skipped` });
}

export function readTextCapture(text: string): Capture {
  const lines = text.split(/\r?\n/);
  const messages: CapturedMessage[] = [];
  const diagnostics: CaptureDiagnostic[] = [];
  let format: Capture['format'] | null = null;
  let block: { h: Header; start: number; lines: { text: string; line: number }[] } | null = null;
  let preamble: { text: string; line: number }[] = [];
  let dotted = false;
  const flows = new Map<string, TextStream>();
  const flushBlock = () => {
    if (!block) return;
    const b = block;
    // ngrep -W byline prints each CR as '.': the payload's lines end in '.' (a start line always does).
    const dots = b.lines.length > 0 && b.lines[0].text.endsWith('.');
    if (dots) dotted = true;
    if (b.h.transport === 'TCP' && (dots || flows.has(flowKey(b.h)))) {
      // A TCP segment: a message may go on in the next segment of the flow, or several share one.
      let flow = flows.get(flowKey(b.h));
      if (!flow) flows.set(flowKey(b.h), (flow = new TextStream(b.h)));
      flow.add(b.lines, messages, diagnostics);
      block = null;
      return;
    }
    const payload = b.lines.map((l) => ({ line: l.line, text: dots && l.text.endsWith('.') ? l.text.slice(0, -1) : l.text }));
    while (payload.length && payload[payload.length - 1].text === '') payload.pop();
    const before = messages.length;
    splitMessages(payload, { transport: b.h.transport, src: b.h.src, dst: b.h.dst, time: b.h.time }, messages, diagnostics, false);
    if (messages.length === before && payload.some((l) => l.text.trim())) diagnostics.push({ line: b.start, message: 'the payload under this header is not a SIP message: skipped' });
    block = null;
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    const h = header(raw);
    if (h) {
      flushBlock();
      if (format === null) format = h.kind === 'sngrep' ? 'sngrep' : 'headed';
      block = { h, start: n, lines: [] };
      return;
    }
    if (block) {
      // ngrep's separator between packets.
      if (/^#+$/.test(raw.trim()) && !block.lines.some((l) => l.text.trim())) return;
      if (/^#+$/.test(raw.trim())) {
        flushBlock();
        return;
      }
      block.lines.push({ text: raw, line: n });
    } else preamble.push({ text: raw, line: n });
  });
  flushBlock();
  for (const f of flows.values()) f.finish(diagnostics);
  if (format === null) {
    splitMessages(preamble, { transport: 'unknown' }, messages, diagnostics);
    preamble = [];
    return { format: 'raw-sip', messages, diagnostics };
  }
  return { format: format === 'headed' && dotted ? 'ngrep' : format, messages, diagnostics };
}

function flowKey(h: Header): string {
  return `${h.src.ip}|${h.src.port}|${h.dst.ip}|${h.dst.port}`;
}

/**
 * One direction of a TCP connection in ngrep's byline output: the segments' payloads put back
 * together (a line ending in '.' ended in CR LF; a segment's last line without one was cut
 * mid-line), then cut into messages by Content-Length (RFC 3261 §18.3), as for a pcap.
 */
class TextStream {
  /** The flow's payload so far; `pos` is where the next message starts (the text before it is consumed). */
  private text = '';
  private pos = 0;
  /** Where each segment's payload starts in `text`, and its first line in the file. */
  private chunks: { offset: number; line: number }[] = [];

  constructor(private readonly h: Header) {}

  add(lines: { text: string; line: number }[], out: CapturedMessage[], diagnostics: CaptureDiagnostic[]): void {
    const ls = [...lines];
    while (ls.length && ls[ls.length - 1].text === '') ls.pop(); // ngrep's own newlines after the dump
    if (!ls.length) return;
    this.chunks.push({ offset: this.text.length, line: ls[0].line });
    ls.forEach((l, i) => {
      if (l.text.endsWith('.')) this.text += `${l.text.slice(0, -1)}\r\n`;
      else this.text += i < ls.length - 1 ? `${l.text}\n` : l.text;
    });
    this.frame(out, diagnostics);
  }

  /** The file line of the text at `offset`: its segment's first line plus the line ends before it. */
  private lineAt(offset: number): number {
    let chunk = this.chunks[0];
    for (const c of this.chunks) if (c.offset <= offset) chunk = c;
    return chunk.line + (this.text.slice(chunk.offset, offset).match(/\n/g)?.length ?? 0);
  }

  private frame(out: CapturedMessage[], diagnostics: CaptureDiagnostic[]): void {
    for (;;) {
      while (this.pos < this.text.length && (this.text[this.pos] === '\r' || this.text[this.pos] === '\n')) this.pos++;
      const rest = this.text.slice(this.pos);
      if (!rest) return;
      const headEnd = rest.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      if (!isStartLine(rest.slice(0, rest.indexOf('\r\n')))) {
        const next = /\r\n(?=[A-Za-z]+ \S+ SIP\/2\.0\r\n|SIP\/2\.0 [1-6][0-9]{2} )/.exec(rest);
        diagnostics.push({ line: this.lineAt(this.pos), message: 'TCP payload that does not start a SIP message (its start was not captured): skipped up to the next message' });
        this.pos += next ? next.index + 2 : rest.length;
        continue;
      }
      const cl = /^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)/im.exec(rest.slice(0, headEnd));
      const total = headEnd + 4 + (cl ? Number(cl[1]) : 0);
      if (rest.length < total) return;
      out.push({ transport: 'TCP', src: this.h.src, dst: this.h.dst, time: this.h.time, line: this.lineAt(this.pos), text: rest.slice(0, total) });
      this.pos += total;
    }
  }

  finish(diagnostics: CaptureDiagnostic[]): void {
    if (this.text.slice(this.pos).trim()) diagnostics.push({ line: this.lineAt(this.pos), message: `TCP ${this.h.src.ip}:${this.h.src.port} → ${this.h.dst.ip}:${this.h.dst.port}: the capture ends inside a message` });
  }
}
