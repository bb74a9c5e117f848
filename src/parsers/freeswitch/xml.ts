/**
 * Parses the pre-processed FreeSWITCH document into a small element tree where every element and
 * attribute keeps its file:line:column.
 *
 * Why saxes and not the design card's fast-xml-parser: fast-xml-parser reports no element or
 * attribute positions, and every finding must point at a line. saxes (maintained, one small
 * dependency) reports line/column as it goes, and it is safe on hostile input: it never fetches a
 * DTD, never resolves external entities, and does not define entities from an internal DTD subset —
 * an undeclared `&name;` is a well-formedness error — so entity-expansion bombs cannot expand.
 */
import type * as Saxes from 'saxes';
import type { LoadIssue } from '../../core/findings';
import type { SourceLocation } from '../../core/location';
import { mapPosition, type Flattened } from './preprocess';

export interface XmlAttribute {
  value: string;
  location: SourceLocation;
}

export interface XmlElement {
  name: string;
  attributes: Map<string, XmlAttribute>;
  children: XmlElement[];
  text: string;
  location: SourceLocation;
  /** Where the first non-blank text (or CDATA) content starts. */
  textLocation?: SourceLocation;
}

let saxes: typeof Saxes | undefined;
/** Loaded on first use, so commands that read no FreeSWITCH configuration do not pay for it at start-up. */
function saxesModule(): typeof Saxes {
  saxes ??= require('saxes') as typeof Saxes;
  return saxes;
}

/** Past this many well-formedness errors the rest of the document is not parsed. */
const MAX_XML_ERRORS = 20;

/**
 * Elements nested deeper than this are parsed (for well-formedness) but left out of the tree, with
 * a diagnostic: the model is built by walking the tree, and 50,000 nested <condition>s overflowed
 * the stack (found by fuzzing). FreeSWITCH's own documents nest a few levels; its dialplan gives up
 * on conditions nested past 100 (mod_dialplan_xml.c MAX_RECUR), well within this.
 */
export const MAX_XML_DEPTH = 256;

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attributes.get(name)?.value;
}

export function attrLoc(el: XmlElement, name: string): SourceLocation {
  return el.attributes.get(name)?.location ?? el.location;
}

/** Children named `name`, in document order (switch_xml_child + ->next). */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function parseFlattened(flat: Flattened): { root: XmlElement | null; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  const text = flat.lines.join('\n');
  // Offsets of each flattened line, to turn saxes' character positions into line/column.
  const lineStarts: number[] = [];
  let off = 0;
  for (const l of flat.lines) {
    lineStarts.push(off);
    off += l.length + 1;
  }
  const toLineCol = (pos: number): { line: number; col: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: pos - (lineStarts[lo] ?? 0) };
  };
  const where = (pos: number): SourceLocation => {
    const { line, col } = toLineCol(Math.max(0, pos));
    return mapPosition(flat, line, col);
  };

  const parser = new (saxesModule().SaxesParser)({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let errors = 0;
  let tagStart = 0;
  let pendingAttrs: Map<string, XmlAttribute> = new Map();
  let aborted = false;
  /** Open elements below MAX_XML_DEPTH, left out of the tree. */
  let tooDeep = 0;
  let reportedDepth = false;

  parser.on('opentagstart', (node) => {
    // saxes has consumed the name and the character after it: the `<` is name.length + 2 back.
    tagStart = parser.position - node.name.length - 2;
    pendingAttrs = new Map();
  });
  parser.on('attribute', (a) => {
    // Just past the closing quote: search back for the attribute's name.
    const end = parser.position;
    const start = text.lastIndexOf(a.name, end - a.value.length - 2);
    pendingAttrs.set(a.name, { value: a.value, location: where(start >= tagStart ? start : tagStart) });
  });
  parser.on('opentag', (node) => {
    if (tooDeep > 0 || stack.length >= MAX_XML_DEPTH) {
      tooDeep++;
      if (!reportedDepth) issues.push({ kind: 'not-modelled', severity: 'warning', location: where(tagStart), message: `XML elements nested deeper than ${MAX_XML_DEPTH}: pbxlint leaves this <${node.name}> and what it holds out of the model (FreeSWITCH itself stops evaluating conditions nested past 100)` });
      reportedDepth = true;
      pendingAttrs = new Map();
      return;
    }
    const el: XmlElement = { name: node.name, attributes: pendingAttrs, children: [], text: '', location: where(tagStart) };
    pendingAttrs = new Map();
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (!root) root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    if (tooDeep > 0) tooDeep--;
    else stack.pop();
  });
  // saxes reports text just past the `<` that ends it, and CDATA just past its `]]>`.
  const onText = (t: string, start: number) => {
    if (!stack.length || tooDeep > 0) return;
    const el = stack[stack.length - 1];
    if (!el.textLocation && t.trim() !== '') el.textLocation = where(start + (t.length - t.trimStart().length));
    el.text += t;
  };
  parser.on('text', (t) => onText(t, parser.position - 1 - t.length));
  parser.on('cdata', (t) => onText(t, parser.position - 3 - t.length));
  parser.on('doctype', () => {
    issues.push({ kind: 'not-modelled', severity: 'info', location: where(parser.position), message: 'a DOCTYPE in the configuration is ignored: pbxlint (like a safe parser must) neither fetches DTDs nor defines entities from them' });
  });
  parser.on('error', (err) => {
    errors++;
    const msg = err.message.replace(/^[^:]*:\d+:\d+: /, '');
    issues.push({ kind: 'parse-error', severity: 'error', location: where(parser.position - 1), message: `XML: ${msg} (FreeSWITCH would refuse to load this document)` });
    if (errors >= MAX_XML_ERRORS) {
      aborted = true;
      throw new AbortParse();
    }
  });

  try {
    parser.write(text);
    parser.close();
  } catch (e) {
    if (!(e instanceof AbortParse)) {
      issues.push({ kind: 'parse-error', severity: 'error', location: where(parser.position), message: `XML: ${(e as Error).message}` });
    } else if (aborted) {
      issues.push({ kind: 'parse-error', severity: 'error', location: where(parser.position), message: `more than ${MAX_XML_ERRORS} XML errors; the rest of the document is not parsed` });
    }
  }
  return { root, issues };
}

class AbortParse extends Error {}
