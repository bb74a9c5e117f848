/** The Asterisk config-format reader against main/config.c behaviour. */
import * as path from 'path';
import { readConf, lastValue } from '../src/parsers/asterisk/conf';
import { writeTree } from './helpers/tmp-config';

function read(files: Record<string, string>, name = 'test.conf', opts = {}) {
  const dir = writeTree(files);
  return { dir, doc: readConf(dir, name, opts) };
}

describe('blanks (ast_strip)', () => {
  test('every byte below 33 is stripped around names and values, but not U+00A0', () => {
    const { doc } = read({ 'test.conf': '[s]\n\x01name\x02=\x03 v\u00a0 \x1f\n' });
    expect(doc.sections[0].variables.map((v) => [v.name, v.value])).toEqual([['name', 'v\u00a0']]);
  });
});

describe('comments (config_text_file_load)', () => {
  test('; starts a comment, \\; is a literal semicolon, whitespace before ; is trimmed', () => {
    const { doc } = read({ 'test.conf': '[s]\na = one ; comment\nb = x\\;y ; c\n' });
    expect(doc.sections[0].variables.map((v) => [v.name, v.value])).toEqual([
      ['a', 'one'],
      ['b', 'x;y'],
    ]);
  });
  test(';-- --; block comments nest and may span lines; text around them is kept', () => {
    const { doc } = read({ 'test.conf': '[s]\na = 1 ;-- outer ;-- inner --; still --; tail\n;--\nb = 2\n--;\nc = 3\n' });
    expect(doc.sections[0].variables.map((v) => [v.name, v.value])).toEqual([
      ['a', '1  tail'],
      ['c', '3'],
    ]);
  });
  test(';--- (three dashes) is an ordinary line comment', () => {
    const { doc } = read({ 'test.conf': '[s]\n;--- heading ---\na = 1\n' });
    expect(doc.sections[0].variables.map((v) => v.name)).toEqual(['a']);
  });
  test('an unterminated block comment is reported and swallows the rest', () => {
    const { doc } = read({ 'test.conf': '[s]\n;-- open\na = 1\n' });
    expect(doc.sections[0].variables).toHaveLength(0);
    expect(doc.issues.some((i) => /unterminated block comment/.test(i.message))).toBe(true);
  });
  test('"--;" with no open comment drives the depth negative: later lines are ignored, as Asterisk does', () => {
    const { doc } = read({ 'test.conf': '[s]\na = b--;\nc = 1\n' });
    expect(doc.sections[0].variables.map((v) => [v.name, v.value])).toEqual([['a', 'b--;']]);
    expect(doc.issues.some((i) => i.kind === 'parse-error' && i.location.line === 2)).toBe(true);
  });
});

describe('sections, templates and variables (process_text_line)', () => {
  test('=> and = are the same except for the object flag; repeated keys are kept in order', () => {
    const { doc } = read({ 'test.conf': '[ctx]\nexten => 1,1,A()\nexten = 1,2,B()\nexten => 2,1,C()\n' });
    expect(doc.sections[0].variables.map((v) => [v.value, v.object])).toEqual([
      ['1,1,A()', true],
      ['1,2,B()', false],
      ['2,1,C()', true],
    ]);
  });
  test('templates are copied before the section\'s own lines, in the order listed, with their locations', () => {
    const { doc } = read({ 'test.conf': '[t1](!)\na = 1\n[t2](!)\nb = 2\na = 3\n[obj](t1,t2)\nc = 4\n' });
    const obj = doc.sections.find((s) => s.name === 'obj')!;
    expect(obj.variables.map((v) => `${v.name}=${v.value}@${v.location.line}${v.inheritedFrom ? `<${v.inheritedFrom}` : ''}`)).toEqual(['a=1@2<t1', 'b=2@4<t2', 'a=3@5<t2', 'c=4@7']);
    expect(lastValue(obj, 'a')?.value).toBe('3');
    expect(doc.sections.find((s) => s.name === 't1')!.template).toBe(true);
  });
  test('(+) appends to an existing section; to a missing one it invalidates the file', () => {
    const ok = read({ 'test.conf': '[a]\nx = 1\n[b]\ny = 2\n[a](+)\nz = 3\n' }).doc;
    expect(ok.sections.map((s) => s.name)).toEqual(['a', 'b']);
    expect(ok.sections[0].variables.map((v) => v.name)).toEqual(['x', 'z']);
    const bad = read({ 'test.conf': '[a](+)\nz = 3\n' }).doc;
    expect(bad.invalid?.message).toMatch(/does not exist yet.*rejects the whole file/);
  });
  test('inheriting from an unknown section invalidates the file', () => {
    expect(read({ 'test.conf': '[obj](nosuch)\n' }).doc.invalid?.message).toMatch(/inherits from "nosuch"/);
  });
  test('the same [name] twice is two sections', () => {
    const { doc } = read({ 'test.conf': '[a]\nx = 1\n[a]\ny = 2\n' });
    expect(doc.sections).toHaveLength(2);
  });
  test('+= appends the raw text after "=" to the last variable of that name (config.c keeps the space)', () => {
    const { doc } = read({ 'test.conf': '[a]\nallow = ulaw\nallow += ,alaw\n' });
    expect(doc.sections[0].variables.map((v) => v.value)).toEqual(['ulaw ,alaw']);
  });
  test('+= on an inherited line changes that section only; on a template, only the sections that inherit it afterwards (copies are per child, as inherit_category makes them)', () => {
    const { doc } = read({ 'test.conf': '[t](!)\nallow = ulaw\n[a](t)\n[b](t)\nallow += ,alaw\n[t](+)\nallow += ,g722\n[c](t)\n[d](b)\n' });
    const allow = (name: string) => doc.sections.find((s) => s.name === name)!.variables.map((v) => `${v.value}<${v.inheritedFrom}`);
    expect([allow('a'), allow('b'), allow('c'), allow('d')]).toEqual([['ulaw<t'], ['ulaw ,alaw<t'], ['ulaw ,g722<t'], ['ulaw ,alaw<t']]);
    expect(doc.sections.find((s) => s.name === 't')!.variables.map((v) => v.value)).toEqual(['ulaw ,g722']);
  });
  test('a line with no = is ignored with a warning; a variable before any section invalidates the file', () => {
    const a = read({ 'test.conf': '[a]\njunk\nx = 1\n' }).doc;
    expect(a.sections[0].variables).toHaveLength(1);
    expect(a.issues[0].message).toMatch(/no "="/);
    expect(read({ 'test.conf': 'x = 1\n[a]\n' }).doc.invalid?.location.line).toBe(1);
  });
  test('locations: line and column of names and values', () => {
    const { doc } = read({ 'test.conf': '[ctx]\n  exten  =>  100,1,Answer()\n' });
    const v = doc.sections[0].variables[0];
    expect([v.location.line, v.location.column, v.valueLocation.column]).toEqual([2, 3, 14]);
    expect(doc.sections[0].location).toMatchObject({ line: 1, column: 2 });
  });
  test('CRLF endings, blank lines, lines with and without comments in turn: values, columns and text offsets stay exact', () => {
    const text = '[ctx]\r\n\texten => 1,1,Answer() ; hi\r\n same=>n,Wait(1)\r\n\r\n  ; only a comment\r\nexten=>2,1,NoOp(a;b)\r\n \tsame => n ,Hangup()  \r\n';
    const { doc } = read({ 'test.conf': text });
    const seen = doc.sections[0].variables.map((v) => [v.name, v.value, v.location.line, v.location.column, v.valueColumn, v.valueOffset >= 0 ? text.slice(v.valueOffset, v.valueOffset + v.value.length) : null]);
    expect(seen).toEqual([
      ['exten', '1,1,Answer()', 2, 2, 11, '1,1,Answer()'], // the comment was cut from the end: the text is still a prefix
      ['same', 'n,Wait(1)', 3, 2, 8, 'n,Wait(1)'],
      ['exten', '2,1,NoOp(a', 6, 1, 8, '2,1,NoOp(a'],
      ['same', 'n ,Hangup()', 7, 3, 11, 'n ,Hangup()'],
    ]);
  });
});

describe('#include, #tryinclude, #exec', () => {
  test('paths are relative to the config directory, not the including file; the included file continues the open section', () => {
    const { doc, dir } = read({ 'test.conf': '[ctx]\n#include sub/part.conf\nb = 2\n', 'sub/part.conf': 'a = 1\n#include "other.conf"\n', 'other.conf': 'o = 0\n' });
    expect(doc.sections[0].variables.map((v) => `${v.name}@${path.relative(dir, v.location.file)}:${v.location.line}`)).toEqual(['a@sub/part.conf:1', 'o@other.conf:1', 'b@test.conf:3']);
  });
  test('globs load in sorted order; braces in the order written', () => {
    const { doc } = read({ 'test.conf': '[c]\n#include d/*.conf\n#include {z,y}.inc\n', 'd/b.conf': 'b=1\n', 'd/a.conf': 'a=1\n', 'z.inc': 'z=1\n', 'y.inc': 'y=1\n' });
    expect(doc.sections[0].variables.map((v) => v.name)).toEqual(['a', 'b', 'z', 'y']);
  });
  test('a section opened by an included file does not change where the includer\'s next lines go', () => {
    const { doc } = read({ 'test.conf': '[a]\n#include more.conf\nafter = 1\n', 'more.conf': '[b]\ninside = 1\n' });
    expect(doc.sections.map((s) => `${s.name}:${s.variables.map((v) => v.name).join(',')}`)).toEqual(['a:after', 'b:inside']);
  });
  test('a missing #include invalidates the file; a missing #tryinclude is fine', () => {
    expect(read({ 'test.conf': '[a]\n#include nosuch.conf\n' }).doc.invalid?.kind).toBe('include-missing');
    const t = read({ 'test.conf': '[a]\n#tryinclude nosuch.conf\nx=1\n' }).doc;
    expect(t.invalid).toBeUndefined();
    expect(t.sections[0].variables).toHaveLength(1);
  });
  test('include cycles are reported once and not followed', () => {
    const { doc } = read({ 'test.conf': '[a]\n#include b.conf\n', 'b.conf': '#include test.conf\nx=1\n' });
    expect(doc.issues.filter((i) => i.kind === 'include-cycle')).toHaveLength(1);
    expect(doc.sections[0].variables.map((v) => v.name)).toEqual(['x']);
  });
  test('#exec is recorded and never run', () => {
    const { doc } = read({ 'test.conf': '[a]\n#exec /bin/touch /tmp/pbxlint-must-not-exist\n' }, 'test.conf', { execIncludes: true });
    expect(doc.execs).toHaveLength(1);
    expect(doc.execs[0].enabled).toBe(true);
    expect(require('fs').existsSync('/tmp/pbxlint-must-not-exist')).toBe(false);
  });
  test('absolute includes under astetcdir are read from the linted directory', () => {
    const { doc } = read({ 'test.conf': '[a]\n#include /etc/asterisk/x.conf\n', 'x.conf': 'x=1\n' });
    expect(doc.sections[0].variables.map((v) => v.name)).toEqual(['x']);
  });
});
