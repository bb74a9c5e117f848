/**
 * The streamed JSON (src/reporters/json-stream.ts) is the text of JSON.stringify(value, null, 2):
 * for any JSON-like value (with undefined fields and elements, which JSON.stringify leaves out or
 * writes null), at every depth of walking, and for the coverage report with its paths made relative.
 */
import * as fc from 'fast-check';
import * as path from 'path';
import { streamJson } from '../src/reporters/json-stream';
import { coverageCommand, relativizeReport, writeCoverageJson } from '../src/coverage/command';

function streamed(value: unknown, levels: number): { text: string; pieces: string[] } {
  const pieces: string[] = [];
  streamJson(value, (s) => pieces.push(s), levels);
  return { text: pieces.join(''), pieces };
}

/** JSON values, with undefined where objects and arrays may hold it, and arrays longer than a batch. */
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object'), tie('long')),
  leaf: fc.oneof(fc.string(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.string({ unit: 'binary' })),
  array: fc.array(tie('any'), { maxLength: 5 }),
  long: fc.array(fc.oneof(fc.integer(), fc.constant(undefined), fc.record({ a: fc.string(), b: fc.array(fc.integer(), { maxLength: 3 }) })), { minLength: 250, maxLength: 600 }),
  object: fc.dictionary(fc.string(), tie('any'), { maxKeys: 5 }),
}));

test('streamJson writes the text of JSON.stringify(value, null, 2) at every depth of walking', () => {
  fc.assert(
    fc.property(value.any, fc.integer({ min: 0, max: 6 }), (v, levels) => {
      const expected = `${JSON.stringify(v, null, 2) ?? 'null'}\n`;
      expect(streamed(v, levels).text).toBe(expected);
    }),
    { numRuns: 400 },
  );
});

test('the coverage JSON streamed is the JSON of the relativized report', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'examples', 'asterisk-pbx');
  const report = coverageCommand([dir], {});
  const pieces: string[] = [];
  writeCoverageJson(report, process.cwd(), (s) => pieces.push(s));
  expect(pieces.join('')).toBe(`${JSON.stringify(relativizeReport(report, process.cwd()), null, 2)}\n`);
  expect(pieces.length).toBeGreaterThan(10);
});
