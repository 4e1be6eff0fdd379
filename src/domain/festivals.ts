// Festival periods (过节时) for the small-gift rule. Dates are plain 'YYYY-MM-DD' strings (China calendar dates);
// listed periods in checklists/festivals.json win, other years are computed with Intl's Chinese calendar.
import { z } from 'zod/mini';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date, or null (Date.UTC would silently roll 02-30 into March). */
function dayNumber(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? t.getTime() / DAY_MS : null;
}
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yearIso = (year: number, monthDay: string): string => `${String(year).padStart(4, '0')}-${monthDay}`;

/** How a rejected value is shown in an error message. */
const show = (v: unknown): string =>
  v === undefined ? 'nothing' : Array.isArray(v) ? 'an array' : v !== null && typeof v === 'object' ? 'an object' : JSON.stringify(v);
// Our own wording (zod's locale tables are not shipped); unknown keys fall through to parseFestivalsFile's map.
const expecting = (what: string) => ({
  error: (iss: { code?: string; input?: unknown }) =>
    iss.code === 'unrecognized_keys' ? undefined : `expected ${what}, got ${show(iss.input)}`,
});
const checkedString = (what: string, ok: (s: string) => boolean) =>
  z.string(expecting(what)).check(z.refine(ok, expecting(what)));

const isoDate = checkedString('a date YYYY-MM-DD', (s) => dayNumber(s) !== null);
// 2000 is a leap year, so '02-29' is accepted (it is simply skipped in other years).
const monthDay = checkedString('a month-day MM-DD', (s) => /^\d{2}-\d{2}$/.test(s) && dayNumber(yearIso(2000, s)) !== null);
const text = checkedString('a non-empty string', (s) => s.trim() !== '');
const intIn = (lo: number, hi: number, what: string) =>
  z.int(expecting(what)).check(z.gte(lo, expecting(what)), z.lte(hi, expecting(what)));
const lunarMonth = intIn(1, 12, 'a lunar month 1–12');
const lunarDay = intIn(1, 30, 'a lunar day 1–30');

const LunarRuleSchema = z.strictObject({
  calendar: z.literal('lunar'), month: lunarMonth, day: lunarDay,
  startOffsetDays: z.optional(intIn(-30, 30, 'a whole number of days from -30 to 30')),
  endMonth: z.optional(lunarMonth), endDay: z.optional(lunarDay),
}).check(
  z.refine((r) => (r.endMonth === undefined) === (r.endDay === undefined),
    { path: ['endDay'], error: 'expected endMonth and endDay together' }),
  z.refine((r) => (r.endMonth ?? r.month) * 100 + (r.endDay ?? r.day) >= r.month * 100 + r.day,
    { path: ['endMonth'], error: 'expected an end (endMonth/endDay) not before month/day' }),
);
const GregorianRuleSchema = z.strictObject({ calendar: z.literal('gregorian'), start: monthDay, end: monthDay }).check(
  z.refine((r) => r.start <= r.end, {
    path: ['end'],
    error: (iss) => `expected an end not before start (periods never cross Dec 31), got ${show((iss.input as { end?: unknown }).end)}`,
  }),
);
const RuleSchema = z.discriminatedUnion('calendar', [LunarRuleSchema, GregorianRuleSchema],
  { error: 'expected a rule with calendar "lunar" or "gregorian"' });

const FestivalRuleSchema = z.strictObject({
  id: checkedString('an id of lowercase letters, digits and "-"', (s) => /^[a-z][a-z0-9-]*$/.test(s)),
  name: z.strictObject({ 'zh-CN': text, en: text }, expecting('an object {"zh-CN", "en"}')),
  rule: RuleSchema,
}, expecting('an object'));

const PeriodSchema = z.strictObject({ festival: text, start: isoDate, end: isoDate }, expecting('an object')).check(
  z.refine((p) => !(dayNumber(p.start) !== null && dayNumber(p.end) !== null && p.start > p.end), {
    path: ['end'],
    error: (iss) => `expected a date not before start ${(iss.input as { start: string }).start}, got ${show((iss.input as { end: string }).end)}`,
  }),
);

export const FestivalsFileSchema = z.strictObject({
  $comment: z.optional(z.string()),
  id: text,
  version: intIn(1, Number.MAX_SAFE_INTEGER, 'a positive whole number'),
  // The Chinese calendar is reckoned in China Standard Time; another zone would shift lunar days.
  timeZone: z.literal('Asia/Shanghai', expecting('"Asia/Shanghai"')),
  festivals: z.array(FestivalRuleSchema, expecting('an array of festival rules'))
    .check(z.minLength(1, 'expected at least one festival rule')),
  periods: z.record(z.string(), z.array(PeriodSchema, expecting('an array of periods')), expecting('an object of year → periods')),
}, expecting('an object')).check(
  z.superRefine((file, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', input: undefined, path, message });
    const ids = new Set<string>();
    file.festivals.forEach((f, i) => {
      if (ids.has(f.id)) issue(['festivals', i, 'id'], `expected a unique festival id, got "${f.id}" twice`);
      ids.add(f.id);
    });
    for (const [year, periods] of Object.entries(file.periods)) {
      if (!/^\d{4}$/.test(year)) issue(['periods', year], `expected a year key YYYY, got "${year}"`);
      periods.forEach((p, i) => {
        if (!ids.has(p.festival)) {
          issue(['periods', year, i, 'festival'], `expected one of the festival ids (${[...ids].join(', ')}), got "${p.festival}"`);
        }
        // A period is filed under the year it starts in, so a year's list is the whole story for that year.
        if (!p.start.startsWith(`${year}-`)) {
          issue(['periods', year, i, 'start'], `expected a date in ${year} (the year key), got "${p.start}"`);
        }
      });
    }
  }),
);

export type FestivalCalendar = z.output<typeof FestivalsFileSchema>;
export type FestivalRule = FestivalCalendar['festivals'][number];
export interface FestivalPeriod { festival: FestivalRule; start: string; end: string }
export interface FestivalDay extends FestivalPeriod { source: 'listed' | 'computed' }
export interface FestivalDisagreement { date: string; listed: string[]; computed: string[] }

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out === '' ? '(root)' : out;
}

/** Validates a festivals file; the error names the file, the JSON path and what was expected, one line per problem. */
export function parseFestivalsFile(json: unknown, fileName: string): FestivalCalendar {
  const result = FestivalsFileSchema.safeParse(json, {
    // Fallback wording for issues without a message of their own (e.g. an unknown key in a strict object).
    error: (iss) => (iss.code === 'unrecognized_keys' ? `expected no key ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined),
  });
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((i) => `${fileName}: ${jsonPath(i.path)}: ${i.message}`).join('\n'));
}

// --- The Chinese calendar, via Intl -------------------------------------------------------------------------

const CN_MONTHS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
/** Month number from ICU's label: zh gives names ("正月", "闰六月", "十一月", "腊月"); other engines may give digits ("6bis"). */
function lunarMonthNumber(label: string): number {
  const name = label.replace(/[闰月]/g, '').replace('正', '一').replace('冬', '十一').replace('腊', '十二');
  const n = /^\d/.test(name) ? parseInt(name, 10) : CN_MONTHS.indexOf(name) + 1;
  if (!(n >= 1 && n <= 12)) throw new Error(`festivals: cannot read the Chinese-calendar month "${label}"`);
  return n;
}

let chineseFormat: Intl.DateTimeFormat | undefined;
const lunarYears = new Map<number, Map<string, number>>();

/** 'month-day' → day number for the regular (non-leap) months of the Chinese year whose 正月初一 falls in `year`. */
function lunarYear(year: number): Map<string, number> {
  const cached = lunarYears.get(year);
  if (cached) return cached;
  chineseFormat ??= new Intl.DateTimeFormat('zh-CN-u-ca-chinese-nu-latn',
    { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });
  const days = new Map<string, number>();
  let label = '', month = 0, leap = false, started = false;
  // 正月初一 is never before Jan 21; one scan runs from there to the next 正月初一 (≤ ~415 days).
  const first = Date.UTC(year, 0, 21) / DAY_MS;
  for (let d = first; d < first + 450; d++) {
    // Noon in China (04:00 UTC) so that no time zone can move the instant to another day.
    const parts = chineseFormat.formatToParts(new Date(d * DAY_MS + 4 * 3_600_000));
    const monthLabel = parts.find((p) => p.type === 'month')?.value ?? '';
    const day = Number(parts.find((p) => p.type === 'day')?.value);
    if (monthLabel !== label) {
      const n = lunarMonthNumber(monthLabel);
      // A leap month is marked 闰 (zh) or "bis" (en); as a fallback, it repeats the previous month's number.
      leap = /闰|bis/.test(monthLabel) || (started && n === month);
      label = monthLabel;
      month = n;
    }
    if (month === 1 && !leap && day === 1) {
      if (started) { lunarYears.set(year, days); return days; } // the next 正月初一: done
      started = true;
    }
    if (started && !leap) days.set(`${month}-${day}`, d);
  }
  // Only an engine whose Chinese calendar reads differently gets here: better an error than a wrong festival.
  throw new Error(`festivals: could not read the Chinese calendar for ${year}`);
}

const computedCache = new WeakMap<FestivalCalendar, Map<number, FestivalPeriod[]>>();

/** The computed periods of every festival for a Gregorian year (lunar ones in the Chinese year starting in it). */
export function computeFestivalPeriods(calendar: FestivalCalendar, year: number): FestivalPeriod[] {
  const perYear = computedCache.get(calendar) ?? new Map<number, FestivalPeriod[]>();
  computedCache.set(calendar, perYear);
  const cached = perYear.get(year);
  if (cached) return cached;
  const periods: FestivalPeriod[] = [];
  for (const festival of calendar.festivals) {
    const r = festival.rule;
    let start: number | null | undefined, end: number | null | undefined;
    if (r.calendar === 'gregorian') {
      start = dayNumber(yearIso(year, r.start)); // null for 02-29 in a common year: no period that year
      end = dayNumber(yearIso(year, r.end));
    } else {
      const lunar = lunarYear(year);
      const anchor = lunar.get(`${r.month}-${r.day}`); // undefined for day 30 of a 29-day month
      start = anchor === undefined ? undefined : anchor + (r.startOffsetDays ?? 0);
      end = lunar.get(`${r.endMonth ?? r.month}-${r.endDay ?? r.day}`);
    }
    if (start != null && end != null) periods.push({ festival, start: isoOf(start), end: isoOf(end) });
  }
  perYear.set(year, periods);
  return periods;
}

/** Whether a rule's period can run past Dec 31: Gregorian ones never; lunar ones only for late lunar dates
 * (正月初一 ≤ Feb 20, months ≤ 30 days, at most one leap month before). Saves scanning the previous year. */
const mayReachNextYear = (r: FestivalRule['rule']): boolean =>
  r.calendar === 'lunar' && (r.endMonth ?? r.month) * 30 + (r.endDay ?? r.day) > 315;

/** The periods that may cover a day of `year`: its own and, when one can run into it, the previous year's.
 * A listed year takes the listed data; `only` restricts to one source (for comparing them). */
function periodsAround(calendar: FestivalCalendar, year: number, only?: FestivalDay['source']): FestivalDay[] {
  const spill = calendar.festivals.some((f) => mayReachNextYear(f.rule));
  const out: FestivalDay[] = [];
  for (const y of [year - 1, year]) {
    const listed = only === 'computed' ? undefined : calendar.periods[String(y)];
    if (listed) {
      // The schema guarantees every listed festival id exists.
      for (const p of listed) out.push({ ...p, festival: calendar.festivals.find((f) => f.id === p.festival)!, source: 'listed' });
    } else if (only !== 'listed' && (y === year || spill)) {
      for (const p of computeFestivalPeriods(calendar, y)) out.push({ ...p, source: 'computed' });
    }
  }
  return out;
}
const covers = (p: FestivalPeriod, isoDate: string): boolean => p.start <= isoDate && isoDate <= p.end;

/** Every festival period covering the date, the shortest (most specific) first, then in rule order. */
export function festivalsOn(calendar: FestivalCalendar, isoDate: string): FestivalDay[] {
  if (dayNumber(isoDate) === null) throw new Error(`festivalOn: expected a date YYYY-MM-DD, got ${show(isoDate)}`);
  const length = (p: FestivalPeriod) => dayNumber(p.end)! - dayNumber(p.start)!;
  const order = (p: FestivalPeriod) => calendar.festivals.indexOf(p.festival);
  return periodsAround(calendar, Number(isoDate.slice(0, 4)))
    .filter((p) => covers(p, isoDate))
    .sort((a, b) => length(a) - length(b) || order(a) - order(b));
}

/** The festival period the date falls in, or null: the listed data for listed years, the computation otherwise. */
export function festivalOn(calendar: FestivalCalendar, isoDate: string): FestivalDay | null {
  return festivalsOn(calendar, isoDate)[0] ?? null;
}

/** Every day of every listed year on which the listed festivals (ids, sorted) differ from the computed ones. */
export function compareListedWithComputed(calendar: FestivalCalendar): FestivalDisagreement[] {
  const out: FestivalDisagreement[] = [];
  for (const year of Object.keys(calendar.periods).map(Number).sort((a, b) => a - b)) {
    const listed = periodsAround(calendar, year, 'listed');
    const computed = periodsAround(calendar, year, 'computed');
    const idsOn = (periods: FestivalDay[], date: string) => periods.filter((p) => covers(p, date)).map((p) => p.festival.id).sort();
    for (let d = Date.UTC(year, 0, 1) / DAY_MS; d < Date.UTC(year + 1, 0, 1) / DAY_MS; d++) {
      const date = isoOf(d);
      const a = idsOn(listed, date), b = idsOn(computed, date);
      if (a.join() !== b.join()) out.push({ date, listed: a, computed: b });
    }
  }
  return out;
}

const gregorianFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date (YYYY-MM-DD) of an instant in a time zone, by default China's. */
export function toIsoDate(date: Date, timeZone = 'Asia/Shanghai'): string {
  const format = gregorianFormats.get(timeZone)
    ?? new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  gregorianFormats.set(timeZone, format);
  const parts = format.formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
