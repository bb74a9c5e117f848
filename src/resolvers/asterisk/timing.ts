/**
 * Time windows of `include => ctx,times,weekdays,monthdays,months[,tz]` and GotoIfTime, as
 * main/pbx_timing.c ast_build_timing / ast_check_timing read them: fields split on ',' or '|',
 * `*` or missing means any, ranges may wrap (`fri-mon`), `&` joins several ranges, an
 * `hh:mm-hh:mm` range includes both ends. Evaluated in the local time of the pbxlint process
 * (Asterisk uses the server's local time, or the named zone, which pbxlint does not model).
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function fields(timing: string): string[] {
  return timing.split(/[,|]/).map((f) => f.trim());
}

/** get_range(): `a-b&c` over names or numbers, wrapping past the end. */
function inRange(spec: string | undefined, value: number, names: string[] | null, min: number, max: number): boolean {
  if (!spec || spec === '*') return true;
  for (const part of spec.split('&')) {
    const [a, b] = part.split('-').map((s) => s.trim().toLowerCase());
    const parse = (s: string) => {
      if (names) {
        const i = names.indexOf(s.slice(0, 3));
        if (i >= 0) return i + min;
      }
      const n = parseInt(s, 10);
      return Number.isNaN(n) ? NaN : n;
    };
    const start = parse(a);
    const end = b === undefined ? start : parse(b);
    if (Number.isNaN(start) || Number.isNaN(end)) continue;
    if (start <= end ? value >= start && value <= end : value >= start || value <= end) return true;
    void max;
  }
  return false;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map((s) => parseInt(s, 10));
  return (h || 0) * 60 + (m || 0);
}

function timeInRange(spec: string | undefined, date: Date): boolean {
  if (!spec || spec === '*') return true;
  const now = date.getHours() * 60 + date.getMinutes();
  for (const part of spec.split('&')) {
    const [a, b] = part.split('-');
    const start = minutes(a);
    const end = b === undefined ? start : minutes(b);
    if (start <= end ? now >= start && now <= end : now >= start || now <= end) return true;
  }
  return false;
}

export function timingMatches(timing: string, date: Date): boolean {
  const [times, weekdays, mdays, months] = fields(timing);
  return timeInRange(times, date) && inRange(weekdays, date.getDay(), DAYS, 0, 6) && inRange(mdays, date.getDate(), null, 1, 31) && inRange(months, date.getMonth() + 1, MONTHS, 1, 12);
}

export function describeTiming(timing: string): string {
  const [times, weekdays, mdays, months, tz] = fields(timing);
  const parts: string[] = [];
  if (times && times !== '*') parts.push(times);
  if (weekdays && weekdays !== '*') parts.push(weekdays);
  if (mdays && mdays !== '*') parts.push(`day ${mdays}`);
  if (months && months !== '*') parts.push(months);
  if (tz) parts.push(`(${tz})`);
  return parts.length ? parts.join(' ') : 'any time';
}
