/**
 * Parses the pre-processed FreeSWITCH document into a small element tree where every element and
 * attribute keeps its file:line:column, reading it as FreeSWITCH's own parser does.
 *
 * FreeSWITCH does not use a conforming XML parser: src/switch_xml.c switch_xml_parse_str (derived
 * from ezxml) forgives much that XML 1.0 refuses — an attribute without `=` (`value ""`), without a
 * value, or with an unquoted one; an `&` that starts no entity; `<` in an attribute value; text
 * before or after the root element; repeated attributes. A production config relying on that
 * starts without complaint, so pbxlint reads it the same way, with a warning saying how FreeSWITCH
 * reads it. Only what switch_xml_parse_str refuses (its switch_xml_err calls: markup outside the
 * root element, an unexpected closing tag, a missing quote or `>`, unclosed comments, CDATA,
 * DOCTYPE, `<?` or tags) is an error. The grammar is re-implemented here from reading that function,
 * with the positions pbxlint needs. It never fetches anything and defines no entities from a DTD
 * (switch_xml_internal_dtd would; an entity bomb must not expand here), so it is safe on hostile input.
 */
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
  const text = flat.lines.join('\n');
  // Offsets of each flattened line, to turn character positions into line/column.
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

  const issues: LoadIssue[] = [];
  const root = parseLikeSwitchXml(text, where, issues);
  return { root, issues };
}

/** switch_xml_parse_str's tag-name start: a letter, `_`, `:` or a non-ASCII byte. */
function isNameStart(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z_:]/.test(c) || c.charCodeAt(0) > 127);
}

/** SWITCH_XML_WS: the blanks switch_xml_parse_str skips. */
function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/**
 * switch_xml_decode: character references and the five predefined entities are replaced; any other
 * `&` is kept as written (XML would refuse it). In attribute values (`attribute`) blanks become spaces.
 */
function decode(raw: string, attribute: boolean): { value: string; literalAmp: string | null } {
  let literalAmp: string | null = null;
  let value = raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][\w.:-]*)?(;?)/g, (m, ref: string | undefined, semi: string) => {
    if (ref && semi) {
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      } else if (Object.prototype.hasOwnProperty.call(PREDEFINED, ref)) return PREDEFINED[ref];
    }
    literalAmp ??= m;
    return m;
  });
  if (attribute) value = value.replace(/[\t\n\r]/g, ' ');
  return { value, literalAmp };
}

function parseLikeSwitchXml(text: string, where: (pos: number) => SourceLocation, issues: LoadIssue[]): XmlElement | null {
  const n = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let rootClosed = false;
  let reportedDepth = false;
  const warn = (pos: number, message: string) => issues.push({ kind: 'parse-error', severity: 'warning', location: where(pos), message });
  /** switch_xml_err: FreeSWITCH stops and refuses the whole document. */
  const refuse = (pos: number, engineMessage: string, why = ''): XmlElement | null => {
    issues.push({ kind: 'parse-error', severity: 'error', location: where(pos), message: `XML: ${engineMessage}${why} (switch_xml_parse_str: FreeSWITCH refuses to load this document)` });
    return root;
  };
  const addText = (el: XmlElement, raw: string, start: number, isCdata: boolean) => {
    if (!el.textLocation && raw.trim() !== '') el.textLocation = where(start + (raw.length - raw.trimStart().length));
    if (isCdata) {
      el.text += raw;
      return;
    }
    const d = decode(raw, false);
    if (d.literalAmp) warn(start + raw.indexOf(d.literalAmp), `"${d.literalAmp}" is no entity XML knows; FreeSWITCH (switch_xml_decode) keeps it as written (escape it as &amp;)`);
    el.text += d.value;
  };

  let i = text.indexOf('<');
  if (i < 0) return refuse(0, 'root tag missing');
  if (text.slice(0, i).trim() !== '') warn(text.search(/\S/), 'text before the first tag: FreeSWITCH skips it (switch_xml_parse_str starts at the first "<"); XML would refuse the document');
  for (;;) {
    const d = i + 1;
    const c = text[d];
    let j: number;
    if (isNameStart(c)) {
      if (rootClosed) return refuse(i, 'markup outside of root element', `: <${/^[^\s/>]*/.exec(text.slice(d))?.[0]}> comes after the root element </${root?.name}> has closed`);
      j = d;
      while (j < n && !isWs(text[j]) && text[j] !== '/' && text[j] !== '>') j++;
      const name = text.slice(d, j);
      while (isWs(text[j])) j++;
      const attributes = new Map<string, XmlAttribute>();
      /** The word after an unquoted value, which FreeSWITCH takes for another attribute: said with that value. */
      let stray = false;
      let afterQuote = false;
      while (j < n && text[j] !== '/' && text[j] !== '>') {
        const aStart = j;
        if (afterQuote && !isWs(text[j - 1])) warn(aStart, `no blank before attribute ${/^[^\s=/>]*/.exec(text.slice(j))?.[0]} of <${name}>: FreeSWITCH reads it as another attribute; XML would refuse it`);
        while (j < n && !isWs(text[j]) && text[j] !== '=' && text[j] !== '/' && text[j] !== '>') j++;
        const aName = text.slice(aStart, j);
        let value = '';
        let how: string | null = null;
        if (text[j] === '=' || isWs(text[j])) {
          let k = j;
          let equals = 0;
          while (k < n && (isWs(text[k]) || text[k] === '=')) if (text[k++] === '=') equals++;
          const q = text[k];
          if (q === '"' || q === "'") {
            const close = text.indexOf(q, k + 1);
            if (close < 0) return refuse(k, `missing ${q}`, ` (the value of ${aName} is never closed)`);
            const raw = text.slice(k + 1, close);
            const dec = decode(raw, true);
            value = dec.value;
            if (equals !== 1) how = `${equals === 0 ? 'has no "="' : `has ${equals} "="`}: FreeSWITCH skips blanks and "=" between a name and its quoted value, so it reads ${aName}="${value}"`;
            else if (raw.includes('<')) how = `has "<" in its value: FreeSWITCH reads it as written (${aName}="${value}"); XML would refuse the document (write &lt;)`;
            else if (dec.literalAmp) how = `has "${dec.literalAmp}", no entity XML knows: FreeSWITCH (switch_xml_decode) keeps it as written (escape it as &amp;)`;
            j = close + 1;
            afterQuote = true;
          } else {
            how = q === undefined || q === '/' || q === '>' || equals === 0
              ? `has no value: FreeSWITCH reads ${aName}=""`
              : `has an unquoted value: FreeSWITCH reads ${aName}="" and takes what follows ("${/^[^\s/>=]*/.exec(text.slice(k))?.[0]}") as the name of another attribute (quote the value)`;
            j = k;
            afterQuote = false;
          }
        } else {
          how = `has no value: FreeSWITCH reads ${aName}=""`;
          afterQuote = false;
        }
        if (how && !stray) warn(aStart, `attribute ${aName} of <${name}> ${how}; XML would refuse it`);
        stray = how !== null && how.startsWith('has an unquoted value');
        if (attributes.has(aName)) warn(aStart, `attribute ${aName} of <${name}> is repeated: FreeSWITCH (switch_xml_attr) uses the first, ${aName}="${attributes.get(aName)!.value}"`);
        else attributes.set(aName, { value, location: where(aStart) });
        while (isWs(text[j])) j++;
      }
      const selfClosing = text[j] === '/';
      if (selfClosing && text[j + 1] !== '>') return refuse(j, 'missing >', ` after the "/" of <${name}>`);
      if (!selfClosing && text[j] !== '>') return refuse(i, 'missing >', ` (<${name} is never closed)`);
      j += selfClosing ? 2 : 1;
      const el: XmlElement = { name, attributes, children: [], text: '', location: where(i) };
      if (stack.length >= MAX_XML_DEPTH) {
        // Kept on the stack (its closing tag must still match) but left out of the tree.
        if (!reportedDepth) issues.push({ kind: 'not-modelled', severity: 'warning', location: where(i), message: `XML elements nested deeper than ${MAX_XML_DEPTH}: pbxlint leaves this <${name}> and what it holds out of the model (FreeSWITCH itself stops evaluating conditions nested past 100)` });
        reportedDepth = true;
      } else if (stack.length) stack[stack.length - 1].children.push(el);
      else root = el;
      if (!selfClosing) stack.push(el);
      else if (!stack.length) rootClosed = true;
    } else if (c === '/') {
      j = d + 1;
      while (j < n && !isWs(text[j]) && text[j] !== '>') j++;
      const name = text.slice(d + 1, j);
      while (isWs(text[j])) j++;
      if (text[j] !== '>') return refuse(i, 'missing >', ` (</${name} is never closed)`);
      const open = stack[stack.length - 1];
      if (!open || open.name !== name) return refuse(i, `unexpected closing tag </${name}>`, open ? ` (<${open.name}> at line ${open.location.line} is the one open)` : '');
      stack.pop();
      if (!stack.length) rootClosed = true;
      j++;
    } else if (text.startsWith('!--', d)) {
      const dash = text.indexOf('--', d + 3);
      if (dash < 0 || text[dash + 2] !== '>') return refuse(i, 'unclosed <!--', dash >= 0 ? ' ("--" inside a comment must end it with "-->")' : '');
      j = dash + 3;
    } else if (text.startsWith('![CDATA[', d)) {
      const end = text.indexOf(']]>', d);
      if (end < 0) return refuse(i, 'unclosed <![CDATA[');
      if (stack.length) addText(stack[stack.length - 1], text.slice(d + 8, end), d + 8, true);
      j = end + 3;
    } else if (text.startsWith('!DOCTYPE', d)) {
      const subset = text.indexOf('[', d);
      const gt = text.indexOf('>', d);
      const end = subset >= 0 && (gt < 0 || subset < gt) ? text.indexOf('>', text.indexOf(']', subset)) : gt;
      if (end < 0) return refuse(i, 'unclosed <!DOCTYPE');
      issues.push({ kind: 'not-modelled', severity: 'info', location: where(i), message: 'a DOCTYPE in the configuration is ignored: pbxlint (like a safe parser must) neither fetches DTDs nor defines entities from them' });
      j = end + 1;
    } else if (c === '?') {
      const end = text.indexOf('?>', d);
      if (end < 0) return refuse(i, 'unclosed <?');
      j = end + 2;
    } else {
      return refuse(i, 'unexpected <', ' (a "<" that starts no tag: write &lt;)');
    }
    const next = text.indexOf('<', j);
    if (next < 0) {
      // switch_xml_parse_str drops text after the last tag
      const rest = text.slice(j);
      if (rootClosed && rest.trim() !== '') warn(j + (rest.length - rest.trimStart().length), `text after the root element </${root?.name}>: FreeSWITCH ignores it; XML would refuse the document`);
      break;
    }
    const between = text.slice(j, next);
    if (stack.length) addText(stack[stack.length - 1], between, j, false);
    else if (rootClosed && between.trim() !== '') warn(j + (between.length - between.trimStart().length), `text after the root element </${root?.name}>: FreeSWITCH ignores it; XML would refuse the document`);
    i = next;
  }
  if (!root) return refuse(n, 'root tag missing');
  if (stack.length) return refuse(n, `unclosed tag <${stack[stack.length - 1].name}>`, ` (opened at line ${stack[stack.length - 1].location.line})`);
  return root;
}
