import { NameInterner } from '../src/core/intern';

test('a name read in place is the same shared string as the interned one, and equal to the slice', () => {
  const names = new NameInterner(4096, 2);
  const line = 'exten => 1,1,Dial(x) same exten';
  const first = names.at(line, 0, 5);
  expect(first).toBe('exten');
  expect(names.at(line, 26, 31)).toBe(first);
  expect(names.at(line, 21, 25)).toBe('same');
  expect(names.at(line, 13, 17)).toBe('Dial');
  // 'exten' has left the two recent ones: it is found through the table, still the same string.
  expect(names.at(line, 26, 31)).toBe(names.intern('exten'));
});

test('the table keeps at most `limit` names; others still come back equal', () => {
  const names = new NameInterner(2, 1);
  expect(['a', 'b', 'c', 'd'].map((n) => names.intern(n))).toEqual(['a', 'b', 'c', 'd']);
  expect(names.at('xyz', 0, 3)).toBe('xyz');
});
