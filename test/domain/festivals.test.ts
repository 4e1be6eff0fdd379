import { describe, it, expect } from 'vitest';
import raw from '../../checklists/festivals.json';
import {
  FestivalsFileSchema,
  compareListedWithComputed,
  computeFestivalPeriods,
  festivalOn,
  festivalsOn,
  parseFestivalsFile,
  toIsoDate,
  type FestivalCalendar,
} from '../../src/domain/festivals';

const FILE = 'festivals.json';
const calendar = parseFestivalsFile(raw, FILE);
/** The same rules with no listed periods: everything comes from the Intl computation. */
const computedOnly: FestivalCalendar = parseFestivalsFile({ ...structuredClone(raw), periods: {} }, FILE);

function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// The true dates (Purple Mountain Observatory / Hong Kong Observatory almanacs). Spring runs from 除夕 to 元宵.
const LUNAR: Record<number, { spring: [string, string]; dragonBoat: string; midAutumn: string }> = {
  2024: { spring: ['2024-02-09', '2024-02-24'], dragonBoat: '2024-06-10', midAutumn: '2024-09-17' },
  2025: { spring: ['2025-01-28', '2025-02-12'], dragonBoat: '2025-05-31', midAutumn: '2025-10-06' },
  2026: { spring: ['2026-02-16', '2026-03-03'], dragonBoat: '2026-06-19', midAutumn: '2026-09-25' },
  2027: { spring: ['2027-02-05', '2027-02-20'], dragonBoat: '2027-06-09', midAutumn: '2027-09-15' },
  2028: { spring: ['2028-01-25', '2028-02-09'], dragonBoat: '2028-05-28', midAutumn: '2028-10-03' },
  2029: { spring: ['2029-02-12', '2029-02-27'], dragonBoat: '2029-06-16', midAutumn: '2029-09-22' },
  2030: { spring: ['2030-02-02', '2030-02-17'], dragonBoat: '2030-06-05', midAutumn: '2030-09-12' },
  2031: { spring: ['2031-01-22', '2031-02-06'], dragonBoat: '2031-06-24', midAutumn: '2031-10-01' },
};

function expectedPeriods(year: number): Array<[string, string, string]> {
  const l = LUNAR[year]!;
  return [
    ['new-year', `${year}-01-01`, `${year}-01-01`],
    ['spring', ...l.spring],
    ['labour-day', `${year}-05-01`, `${year}-05-05`],
    ['dragon-boat', l.dragonBoat, l.dragonBoat],
    ['mid-autumn', l.midAutumn, l.midAutumn],
    ['national-day', `${year}-10-01`, `${year}-10-07`],
  ];
}

describe('festival periods: inside, on both edges, just outside', () => {
  for (const year of [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031]) {
    const source = String(year) in calendar.periods ? 'listed' : 'computed';
    it(`${year} (${source})`, () => {
      for (const [id, start, end] of expectedPeriods(year)) {
        const middle = addDays(start, Math.floor((Date.parse(end) - Date.parse(start)) / 86_400_000 / 2));
        for (const day of [start, middle, end]) {
          const hit = festivalsOn(calendar, day).find((f) => f.festival.id === id);
          expect(hit, `${id} on ${day}`).toMatchObject({ start, end, source });
        }
        for (const day of [addDays(start, -1), addDays(end, 1)]) {
          expect(festivalsOn(calendar, day).map((f) => f.festival.id), `${id} on ${day}`).not.toContain(id);
        }
      }
    });
  }

  it('festivalOn picks the most specific festival and says null outside every period', () => {
    expect(festivalOn(calendar, '2025-10-06')?.festival.id).toBe('mid-autumn'); // inside National Day
    expect(festivalOn(calendar, '2025-10-05')?.festival.id).toBe('national-day');
    expect(festivalOn(calendar, '2031-10-01')).toMatchObject({ festival: { id: 'mid-autumn' }, source: 'computed' });
    expect(festivalOn(calendar, '2026-03-03')).toMatchObject({ festival: { id: 'spring' }, start: '2026-02-16', end: '2026-03-03', source: 'listed' });
    expect(festivalOn(calendar, '2026-03-04')).toBeNull();
    expect(festivalOn(calendar, '2024-12-31')).toBeNull();
    expect(festivalOn(calendar, '2032-01-01')).toMatchObject({ festival: { id: 'new-year' }, source: 'computed' });
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => festivalOn(calendar, '2026-02-30')).toThrow(/expected a date YYYY-MM-DD, got "2026-02-30"/);
    expect(() => festivalOn(calendar, '2026-2-3')).toThrow(/YYYY-MM-DD/);
  });
});

describe('computation', () => {
  it('computes all six festivals for a year, once', () => {
    const periods = computeFestivalPeriods(calendar, 2031);
    expect(periods.map((p) => [p.festival.id, p.start, p.end])).toEqual(expectedPeriods(2031));
    expect(computeFestivalPeriods(calendar, 2031)).toBe(periods); // cached
  });

  // ICU (Node 20, ICU 78) puts two near-midnight new moons on the wrong day: 2027-02-06 23:56 and 2030-02-03 00:07
  // China time (Meeus ch. 49; the 2027-02-06 annular eclipse is at ~16:00 UTC). ICU gives 正月初一 as 2027-02-07 and
  // 2030-02-02; the almanacs, and the listed data, say 2027-02-06 and 2030-02-03. The listed data wins for those years.
  const KNOWN_ICU_ERRORS = new Set(['2027-02-05', '2027-02-21', '2030-02-01', '2030-02-17']);

  it('agrees with every listed year, apart from the known ICU errors', () => {
    const unexpected = compareListedWithComputed(calendar).filter((d) => !KNOWN_ICU_ERRORS.has(d.date));
    const report = unexpected.map((d) => `${d.date}: listed [${d.listed.join(', ')}], computed [${d.computed.join(', ')}]`);
    expect(report, `listed and computed festivals differ on:\n${report.join('\n')}`).toEqual([]);
  });

  it('reports each day on which listed data and computation differ', () => {
    const shifted = structuredClone(raw);
    shifted.periods['2026'][3]!.start = '2026-06-18';
    const diffs = compareListedWithComputed(parseFestivalsFile(shifted, FILE)).filter((d) => d.date.startsWith('2026'));
    expect(diffs).toEqual([{ date: '2026-06-18', listed: ['dragon-boat'], computed: [] }]);
  });

  it('keeps lunar festivals where the calendar allows them, 2020–2070', () => {
    const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    for (let year = 2020; year <= 2070; year++) {
      const byId = new Map(computeFestivalPeriods(computedOnly, year).map((p) => [p.festival.id, p]));
      const cny = addDays(byId.get('spring')!.start, 1);
      expect(cny >= `${year}-01-21` && cny <= `${year}-02-20`, `CNY ${year}: ${cny}`).toBe(true);
      expect(byId.get('spring')!.end).toBe(addDays(cny, 14));
      // 5/5 is 4 months of 29–30 days (5 with a leap month before it) plus 4 days after 1/1; 8/15 likewise 7 (or 8) months + 14.
      const dragon = daysBetween(cny, byId.get('dragon-boat')!.start);
      expect(dragon >= 4 * 29 + 4 && dragon <= 5 * 30 + 4, `Dragon Boat ${year}: ${dragon} days after CNY`).toBe(true);
      const moon = daysBetween(cny, byId.get('mid-autumn')!.start);
      expect(moon >= 7 * 29 + 14 && moon <= 8 * 30 + 14, `Mid-Autumn ${year}: ${moon} days after CNY`).toBe(true);
    }
  });
  it('finds a lunar period that falls in the next Gregorian year (腊八, lunar 12/8)', () => {
    const laba = { id: 'laba', name: { 'zh-CN': '腊八节', en: 'Laba Festival' }, rule: { calendar: 'lunar', month: 12, day: 8 } };
    const withLaba = parseFestivalsFile({ ...structuredClone(raw), festivals: [...raw.festivals, laba], periods: {} }, FILE);
    expect(festivalOn(withLaba, '2026-01-26')).toMatchObject({ festival: { id: 'laba' }, start: '2026-01-26', source: 'computed' });
    expect(festivalOn(withLaba, '2025-01-07')?.festival.id).toBe('laba');
    expect(festivalOn(withLaba, '2026-01-27')).toBeNull();
  });
});

describe('leap months', () => {
  it('2028 (闰五月 from 2028-06-23): the Dragon Boat is the regular 5th month only', () => {
    const dragon = computeFestivalPeriods(computedOnly, 2028).find((p) => p.festival.id === 'dragon-boat');
    expect(dragon).toMatchObject({ start: '2028-05-28', end: '2028-05-28' });
    expect(festivalOn(computedOnly, '2028-06-27')).toBeNull(); // 闰五月初五
    expect(festivalOn(calendar, '2028-06-27')).toBeNull();
  });

  it('2025 (闰六月) and 2017 (闰六月): Mid-Autumn is still the 8th month', () => {
    expect(festivalOn(computedOnly, '2025-10-06')?.festival.id).toBe('mid-autumn');
    expect(festivalOn(computedOnly, '2025-05-31')?.festival.id).toBe('dragon-boat');
    expect(festivalOn(computedOnly, '2017-10-04')?.festival.id).toBe('mid-autumn');
  });

  it('2020 (闰四月) and 2023 (闰二月): later months are counted past the leap month', () => {
    const ids = (year: number) => computeFestivalPeriods(computedOnly, year).map((p) => `${p.festival.id} ${p.start}`);
    expect(ids(2020)).toEqual(expect.arrayContaining(['spring 2020-01-24', 'dragon-boat 2020-06-25', 'mid-autumn 2020-10-01']));
    expect(ids(2023)).toEqual(expect.arrayContaining(['spring 2023-01-21', 'dragon-boat 2023-06-22', 'mid-autumn 2023-09-29']));
  });
});

describe('parseFestivalsFile rejects broken files', () => {
  // Loosely typed on purpose: each case breaks the shipped file in one place.
  const broken = (edit: (file: any) => void): unknown => {
    const file = structuredClone(raw);
    edit(file);
    return file;
  };
  const cases: Array<[string, unknown, string]> = [
    ['an impossible date', broken((f) => (f.periods['2026'][1].end = '2026-13-01')),
      'festivals.json: periods.2026[1].end: expected a date YYYY-MM-DD, got "2026-13-01"'],
    ['Feb 30', broken((f) => (f.periods['2027'][0].start = '2027-02-30')),
      'festivals.json: periods.2027[0].start: expected a date YYYY-MM-DD, got "2027-02-30"'],
    ['start after end', broken((f) => (f.periods['2026'][1].end = '2026-02-01')),
      'festivals.json: periods.2026[1].end: expected a date not before start 2026-02-16, got "2026-02-01"'],
    ['an unknown festival id', broken((f) => (f.periods['2029'][2].festival = 'christmas')),
      'festivals.json: periods.2029[2].festival: expected one of the festival ids'],
    ['missing name text', broken((f) => delete f.festivals[3].name.en),
      'festivals.json: festivals[3].name.en: expected a non-empty string, got nothing'],
    ['blank name text', broken((f) => (f.festivals[0].name['zh-CN'] = '  ')),
      'festivals.json: festivals[0].name.zh-CN: expected a non-empty string, got "  "'],
    ['a period filed under the wrong year', broken((f) => (f.periods['2031'] = f.periods['2030'])),
      'festivals.json: periods.2031[0].start: expected a date in 2031 (the year key), got "2030-01-01"'],
    ['a year key that is not a year', broken((f) => (f.periods['20x1'] = [])),
      'festivals.json: periods.20x1: expected a year key YYYY, got "20x1"'],
    ['not an object (array)', [], 'festivals.json: (root): expected an object, got an array'],
    ['not an object (null)', null, 'festivals.json: (root): expected an object, got null'],
    ['an unknown calendar', broken((f) => (f.festivals[1].rule.calendar = 'julian')),
      'festivals.json: festivals[1].rule.calendar: expected a rule with calendar "lunar" or "gregorian"'],
    ['lunar month 13', broken((f) => (f.festivals[4].rule.month = 13)),
      'festivals.json: festivals[4].rule.month: expected a lunar month 1–12, got 13'],
    ['a gregorian rule ending before it starts', broken((f) => (f.festivals[5].rule.end = '09-30')),
      'festivals.json: festivals[5].rule.end: expected an end not before start'],
    ['a misspelt key', broken((f) => (f.festivals[2].rule.strat = '05-01')),
      'festivals.json: festivals[2].rule: expected no key "strat"'],
    ['a duplicate festival id', broken((f) => (f.festivals[5].id = 'new-year')),
      'festivals.json: festivals[5].id: expected a unique festival id, got "new-year" twice'],
    ['another time zone', broken((f) => (f.timeZone = 'UTC')), 'festivals.json: timeZone: expected "Asia/Shanghai", got "UTC"'],
  ];

  it.each(cases)('%s', (_name, file, message) => {
    expect(() => parseFestivalsFile(file, FILE)).toThrow(message);
    expect(FestivalsFileSchema.safeParse(file).success).toBe(false);
  });

  it('accepts the shipped file', () => {
    expect(FestivalsFileSchema.safeParse(raw).success).toBe(true);
    expect(calendar.festivals.map((f) => f.id).sort()).toEqual(['dragon-boat', 'labour-day', 'mid-autumn', 'national-day', 'new-year', 'spring']);
    for (let year = 2025; year <= 2030; year++) expect(calendar.periods[String(year)], String(year)).toHaveLength(6);
  });
});

describe('toIsoDate', () => {
  it('gives the calendar date in China by default, and in another zone when asked', () => {
    expect(toIsoDate(new Date('2025-01-27T15:59:59Z'))).toBe('2025-01-27');
    expect(toIsoDate(new Date('2025-01-27T16:00:00Z'))).toBe('2025-01-28'); // midnight in Beijing: 除夕 2025
    expect(toIsoDate(new Date('2025-01-27T16:00:00Z'), 'UTC')).toBe('2025-01-27');
    expect(festivalOn(calendar, toIsoDate(new Date('2025-01-27T16:00:00Z')))?.festival.id).toBe('spring');
  });
});
