/**
 * writeOutput (src/config/lint-command.ts): a report handed over in pieces reaches stdout or a
 * file as the same bytes whether the io takes strings or bytes (pieces encoded into a reused
 * buffer), across buffer boundaries, with characters of every UTF-8 length and pieces larger
 * than the buffer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeOutput, type CommandIo } from '../src/config/lint-command';
import { tempDir } from './helpers/tmp-config';

const pieces: string[] = [];
for (let i = 0; i < 5000; i++) pieces.push(`{"n": ${i}, "text": "caf\u00e9 → \ud83d\udcde ${'x'.repeat(i % 97)}"}\n`);
pieces.push('y'.repeat(200000), '→'.repeat(30000), 'tail\n', 'lone \ud800 surrogate\n');
const expected = Buffer.from(pieces.join(''), 'utf8');

function io(bytes: boolean): { io: CommandIo; out: () => Buffer } {
  const chunks: Buffer[] = [];
  const base: CommandIo = { stdout: (s) => chunks.push(Buffer.from(s, 'utf8')), stderr: () => {}, cwd: process.cwd(), color: false };
  // Lent bytes: the test copies them, as the CLI's io does.
  if (bytes) base.stdoutBytes = (b) => chunks.push(Buffer.from(b));
  return { io: base, out: () => Buffer.concat(chunks) };
}

test('pieces written as bytes or as strings are the same bytes', () => {
  for (const bytes of [false, true]) {
    const { io: target, out } = io(bytes);
    expect(writeOutput(target, (emit) => pieces.forEach((p) => emit(p)))).toBe(true);
    expect(out().equals(expected)).toBe(true);
  }
});

test('pieces written to a file (--output-file) are the same bytes', () => {
  const file = path.join(tempDir(), 'report.json');
  const { io: target } = io(false);
  expect(writeOutput(target, (emit) => pieces.forEach((p) => emit(p)), file)).toBe(true);
  expect(fs.readFileSync(file).equals(expected)).toBe(true);
});
