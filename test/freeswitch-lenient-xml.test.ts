/**
 * FreeSWITCH reads XML with its own parser (src/switch_xml.c switch_xml_parse_str, from ezxml):
 * what it forgives loads here too, with a warning saying how FreeSWITCH reads it; only what it
 * refuses (its switch_xml_err calls) is an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { preprocessFile } from '../src/parsers/freeswitch/preprocess';
import { attr, parseFlattened, type XmlElement } from '../src/parsers/freeswitch/xml';
import { lintPaths } from '../src/lint';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function parse(xml: string) {
  const dir = writeTree({ 'freeswitch.xml': xml });
  dirs.push(dir);
  return parseFlattened(preprocessFile(path.join(dir, 'freeswitch.xml')));
}
function find(el: XmlElement | null, name: string): XmlElement | undefined {
  if (!el) return undefined;
  if (el.name === name) return el;
  for (const c of el.children) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}
const doc = (inner: string) => `<document type="freeswitch/xml">\n  <section name="configuration">\n${inner}\n  </section>\n</document>\n`;

describe('what FreeSWITCH forgives loads, with a warning', () => {
  test.each([
    ['an attribute without "=" before its quoted value', '<param name="ssl-cacert" value ""/>', 'value', '', /attribute value of <param> has no "=": FreeSWITCH skips blanks and "=" between a name and its quoted value, so it reads value=""/],
    ['two "="', '<param name="x" value=="5060"/>', 'value', '5060', /has 2 "=".*reads value="5060"/],
    ['an attribute with no value', '<param name="x" enabled/>', 'enabled', '', /attribute enabled of <param> has no value: FreeSWITCH reads enabled=""/],
    ['an unquoted value', '<param name="x" value=5060/>', 'value', '', /unquoted value: FreeSWITCH reads value="" and takes what follows \("5060"\) as the name of another attribute/],
    ['an "&" that starts no entity', '<param name="x" value="a&b"/>', 'value', 'a&b', /has "&b", no entity XML knows: FreeSWITCH \(switch_xml_decode\) keeps it as written/],
    ['"<" in a value', '<param name="x" value="a<b"/>', 'value', 'a<b', /has "<" in its value: FreeSWITCH reads it as written/],
    ['no blank between two attributes', '<param name="x"value="7"/>', 'value', '7', /no blank before attribute value of <param>: FreeSWITCH reads it as another attribute/],
    ['a repeated attribute (the first is used)', '<param name="x" value="1" value="2"/>', 'value', '1', /attribute value of <param> is repeated: FreeSWITCH \(switch_xml_attr\) uses the first, value="1"/],
  ])('%s', (_name, param, attrName, value, message) => {
    const { root, issues } = parse(doc(`    ${param}`));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(attr(find(root, 'param')!, attrName)).toBe(value);
    expect(issues.map((i) => `${i.severity} ${i.location.line} ${i.message}`)).toEqual([expect.stringMatching(new RegExp(`^warning 3 .*${message.source}`))]);
  });

  test('text after the root element is ignored (a warning), and entities decode as switch_xml_decode does', () => {
    const { root, issues } = parse('<document type="freeswitch/xml"><section name="a"><x>&lt;&#65;&amp;</x></section></document>\ntrailing words\n');
    expect(find(root, 'x')!.text).toBe('<A&');
    expect(issues.map((i) => `${i.severity} ${i.location.line}: ${i.message}`)).toEqual([expect.stringMatching(/^warning 2: text after the root element <\/document>: FreeSWITCH ignores it/)]);
  });
});

describe('what FreeSWITCH refuses is an error', () => {
  test.each([
    ['markup outside the root element', '<document type="freeswitch/xml"></document>\n<extra/>\n', 2, /markup outside of root element/],
    ['an unexpected closing tag', doc('    <param name="x" value="1"></params>'), 3, /unexpected closing tag <\/params>/],
    ['a missing quote', doc('    <param name="x/>'), 3, /missing "/],
    ['"--" inside a comment', doc('    <!-- a -- b -->'), 3, /unclosed <!--/],
    ['an unclosed tag', '<document type="freeswitch/xml">\n<section name="a">\n</document>\n', 3, /unexpected closing tag <\/document>/],
    ['a "<" that starts no tag', doc('    <param name="x" value="1"/> < 5'), 3, /unexpected </],
  ])('%s', (_name, xml, line, message) => {
    const { issues } = parse(xml);
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.location.line)).toEqual([line]);
    expect(errors[0].message).toMatch(message);
    expect(errors[0].message).toMatch(/switch_xml_parse_str: FreeSWITCH refuses to load this document/);
  });
});

test('a production-style profile with value "" loads and routes: lint reports a warning, no error', () => {
  const dir = writeTree({
    'freeswitch.xml': '<document type="freeswitch/xml">\n  <section name="configuration">\n    <configuration name="sofia.conf">\n      <profiles>\n        <profile name="internal">\n          <settings>\n            <param name="context" value="default"/>\n            <param name="ssl-cacert" value ""/>\n          </settings>\n        </profile>\n      </profiles>\n    </configuration>\n  </section>\n  <section name="dialplan">\n    <context name="default">\n      <extension name="a"><condition field="destination_number" expression="^100$"><action application="hangup"/></condition></extension>\n    </context>\n  </section>\n</document>\n',
  });
  dirs.push(dir);
  const r = lintPaths([dir]);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(r.findings.filter((f) => f.ruleId === 'parse-error').map((f) => `${f.line}:${f.severity}`)).toEqual(['8:warning']);
});

describe('included files, as switch_xml.c preprocess reads them', () => {
  const tree = (d: string) => {
    const dir = writeTree({
      'freeswitch.xml': '<document type="freeswitch/xml">\n  <section name="dialplan">\n    <X-PRE-PROCESS cmd="include" data="dialplan/*.xml"/>\n  </section>\n</document>\n',
      'dialplan/d.xml': d,
    });
    dirs.push(dir);
    return dir;
  };
  const ext = '<extension name="a"><condition field="destination_number" expression="^1$"><action application="hangup"/></condition></extension>';

  test('markup on the <include> line is dropped with it, so its closing tag is unexpected: refused', () => {
    const r = lintPaths([tree(`<include><context name="default">\n  ${ext}\n</context>\n</include>\n`)]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${path.basename(f.file)}:${f.line} ${f.message}`)).toEqual([expect.stringMatching(/^d\.xml:3 XML: unexpected closing tag <\/context>/)]);
  });

  test('content after a </include> line is copied into the document like the rest (the line alone is dropped): loaded', () => {
    const r = lintPaths([tree(`<include>\n<context name="default">\n  ${ext}\n</context>\n</include>\n<context name="late"/>\n`)]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
