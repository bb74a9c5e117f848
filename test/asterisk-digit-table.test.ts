import { DigitKeyTable } from '../src/automata/asterisk/digit-table';

describe('DigitKeyTable (exact lookup of all-digit extension names)', () => {
  test('keys that differ only in leading zeros, a leading + or length stay apart', () => {
    const keys = ['7', '07', '007', '+7', '+07', '123456789', '0123456789', '1123456789', '+1123456789', '12345678901234567', '02345678901234567', '+12345678901234567'];
    const t = new DigitKeyTable<string>(keys.length);
    for (const k of keys) expect(t.set(k, `v${k}`)).toBe(true);
    for (const k of keys) expect(t.get(k)).toBe(`v${k}`);
    expect(t.get('0007')).toBeUndefined();
    expect(t.get('+007')).toBeUndefined();
    expect(t.get('23456789')).toBeUndefined();
    expect(t.size).toBe(keys.length);
  });

  test('keys it cannot hold are refused on set and answered null on get', () => {
    const t = new DigitKeyTable<number>(4);
    for (const k of ['', '+', 's', '*97', '12a', '123456789012345678', '1 2', '١٢٣']) {
      expect(t.set(k, 1)).toBe(false);
      expect(t.get(k)).toBeNull();
    }
    expect(t.set('5', 1)).toBe(true);
    expect(t.set('5', 2)).toBe(false);
    expect(t.get('5')).toBe(1);
  });

  test('a big table of consecutive DIDs answers every key and no other', () => {
    const n = 50000;
    const t = new DigitKeyTable<number>(n);
    for (let i = 0; i < n; i++) expect(t.set(String(2025500000 + i), i)).toBe(true);
    for (let i = 0; i < n; i += 7) expect(t.get(String(2025500000 + i))).toBe(i);
    expect(t.get('2025550000')).toBeUndefined();
    expect(t.get('12025500000')).toBeUndefined();
  });
});
