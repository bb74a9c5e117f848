/**
 * Time conditions as switch_xml.c `switch_xml_std_datetime_check` reads them: each attribute is a
 * comma-separated list of values or `a-b` ranges (switch_number_cmp); every attribute present must
 * match. The server's clock is taken as UTC (the --time value's UTC fields); `tz-offset`/`tz` are
 * applied when they are a plain hour offset, otherwise the check is reported as not modelled.
 */

const WDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function numberCmp(list: string, value: number, names?: string[]): boolean {
  const toNum = (s: string) => {
    const t = s.trim().toLowerCase();
    if (names) {
      const i = names.indexOf(t.slice(0, 3));
      if (i >= 0) return i + 1;
    }
    return Number(t);
  };
  for (const part of list.split(',')) {
    const dash = part.indexOf('-', 1);
    if (dash > 0) {
      const a = toNum(part.slice(0, dash));
      const b = toNum(part.slice(dash + 1));
      if (a <= b ? value >= a && value <= b : value >= a || value <= b) return true;
    } else if (toNum(part) === value) return true;
  }
  return false;
}

function secondsOfDay(s: string): number {
  const [h, m, sec] = s.trim().split(':').map(Number);
  return (h || 0) * 3600 + (m || 0) * 60 + (sec || 0);
}

/** 1 (matches), 0 (does not), -1 (no time attributes), or a string saying why it cannot be evaluated. */
export function datetimeCheck(attrs: Record<string, string>, at: Date): 1 | 0 | -1 | string {
  const keys = Object.keys(attrs).filter((k) => k !== 'tz' && k !== 'tz-offset');
  if (keys.length === 0) return -1;
  let t = at;
  if (attrs['tz-offset'] !== undefined) {
    const off = Number(attrs['tz-offset']);
    if (!Number.isFinite(off)) return `tz-offset="${attrs['tz-offset']}"`;
    t = new Date(at.getTime() + off * 3600_000);
  } else if (attrs.tz !== undefined) return `tz="${attrs.tz}" (time zone database)`;
  const year = t.getUTCFullYear();
  const mon = t.getUTCMonth() + 1;
  const mday = t.getUTCDate();
  const wday = t.getUTCDay() + 1; // 1 = Sunday, as FreeSWITCH counts
  const hour = t.getUTCHours();
  const minute = t.getUTCMinutes();
  const startOfYear = Date.UTC(year, 0, 1);
  const yday = Math.floor((Date.UTC(year, t.getUTCMonth(), mday) - startOfYear) / 86400_000) + 1;
  const firstWday = new Date(Date.UTC(year, t.getUTCMonth(), 1)).getUTCDay();
  const mweek = Math.floor((mday + firstWday - 1) / 7) + 1;
  const jan1 = new Date(startOfYear).getUTCDay();
  const week = Math.floor((yday + jan1 - 1) / 7) + 1;
  for (const k of keys) {
    const v = attrs[k];
    let ok: boolean;
    switch (k) {
      case 'year': ok = numberCmp(v, year); break;
      case 'yday': ok = numberCmp(v, yday); break;
      case 'mon': ok = numberCmp(v, mon, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']); break;
      case 'mday': ok = numberCmp(v, mday); break;
      case 'week': ok = numberCmp(v, week); break;
      case 'mweek': ok = numberCmp(v, mweek); break;
      case 'wday': ok = numberCmp(v, wday, WDAYS); break;
      case 'hour': ok = numberCmp(v, hour); break;
      case 'minute': ok = numberCmp(v, minute); break;
      case 'minute-of-day': ok = numberCmp(v, hour * 60 + minute + 1); break;
      case 'time-of-day': {
        const now = hour * 3600 + minute * 60 + t.getUTCSeconds();
        ok = v.split(',').some((r) => {
          const [a, b] = r.split('-');
          if (b === undefined) return false;
          const s = secondsOfDay(a);
          const e = secondsOfDay(b);
          return s <= e ? now >= s && now <= e : now >= s || now <= e;
        });
        break;
      }
      case 'date-time': {
        const now = t.getTime();
        ok = v.split(',').some((r) => {
          const [a, b] = r.split('~');
          if (b === undefined) return false;
          const s = Date.parse(a.trim().replace(' ', 'T') + 'Z');
          const e = Date.parse(b.trim().replace(' ', 'T') + 'Z');
          return now >= s && now <= e;
        });
        break;
      }
      default:
        ok = true;
    }
    if (!ok) return 0;
  }
  return 1;
}

export function describeTime(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Without --time, a time condition can go either way — but not every combination can happen
 * (mon=1 and mon=2 never both match). Each world keeps the set of sample instants (every 30
 * minutes over a reference year) consistent with the time conditions it assumed; a combination
 * with no instant left is dropped.
 */
const SAMPLE_YEAR = 2026;
const SAMPLE_STEP_MS = 30 * 60_000;
const SAMPLE_START = Date.UTC(SAMPLE_YEAR, 0, 1);
export const SAMPLE_COUNT = Math.round((Date.UTC(SAMPLE_YEAR + 1, 0, 1) - SAMPLE_START) / SAMPLE_STEP_MS);
/** Words of a sample bitset (bit i set: sample i matches). */
export const SAMPLE_WORDS = Math.ceil(SAMPLE_COUNT / 32);
const vectors = new Map<string, Uint32Array | string>();

/** The samples where the attributes match, as a bitset; a string when they cannot be evaluated (time zones). */
export function sampleVector(attrs: Record<string, string>): Uint32Array | string {
  const key = JSON.stringify(attrs);
  const hit = vectors.get(key);
  if (hit !== undefined) return hit;
  const v = new Uint32Array(SAMPLE_WORDS);
  let result: Uint32Array | string = v;
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    const r = datetimeCheck(attrs, new Date(SAMPLE_START + i * SAMPLE_STEP_MS));
    if (typeof r === 'string') {
      result = r;
      break;
    }
    if (r !== 0) v[i >>> 5] |= 1 << (i & 31);
  }
  vectors.set(key, result);
  return result;
}

/** The first sample set in a bitset, or -1. */
export function firstSample(bits: Uint32Array): number {
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) return w * 32 + (31 - Math.clz32(bits[w] & -bits[w]));
  return -1;
}

export function sampleTime(i: number): string {
  const d = new Date(SAMPLE_START + i * SAMPLE_STEP_MS);
  return `${WDAYS[d.getUTCDay()]} ${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
