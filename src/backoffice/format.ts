// Display formatting for the back office. Clerks work in China, so every timestamp is shown in
// Asia/Shanghai (UTC+8) whatever the browser's own time zone is.
import type { Lang, Translate } from './i18n';

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

/** Drift between the phone's clock and the server's beyond which the device times are called out. */
export const DRIFT_WARNING_MS = 5 * 60_000;

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-10 09:00:00` in Asia/Shanghai; text that is not a timestamp is shown as it came. */
export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const parts: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(time)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Time since the visit was opened, as a stopwatch shows it: `0:05`, `12:34`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

const UNITS: Record<Lang, { d: string; h: string; min: string; s: string; sep: string }> = {
  'zh-CN': { d: '天', h: '小时', min: '分', s: '秒', sep: '' },
  en: { d: ' d', h: ' h', min: ' min', s: ' s', sep: ' ' },
};

/** A length of time in words, largest units first, at most two of them: `2 h 5 min`, `3分12秒`. */
export function formatDuration(ms: number, lang: Lang): string {
  const u = UNITS[lang];
  let rest = Math.round(Math.abs(ms) / 1000);
  const amounts: Array<[number, string]> = [];
  for (const [size, unit] of [[86_400, u.d], [3600, u.h], [60, u.min], [1, u.s]] as const) {
    amounts.push([Math.floor(rest / size), unit]);
    rest %= size;
  }
  const first = amounts.findIndex(([n]) => n > 0);
  if (first === -1) return `0${u.s}`;
  return amounts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(u.sep);
}

export function isLargeDrift(driftMs: number | null): boolean {
  return driftMs !== null && Math.abs(driftMs) >= DRIFT_WARNING_MS;
}

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return formatDateTime(now.toISOString()).slice(0, 10);
}

/** A device time put on the server's clock: the device read `driftMs` ahead of the server. */
export function serverClockTime(deviceAt: string, driftMs: number): string | null {
  const time = Date.parse(deviceAt);
  return Number.isNaN(time) ? null : new Date(time - driftMs).toISOString();
}

/** The phone's clock against the server's at receipt, in words; unknown for a form that came in a bundle. */
export function driftText(driftMs: number | null, lang: Lang, t: Translate): string {
  if (driftMs === null) return t('drift.unknown');
  if (Math.abs(driftMs) < 1000) return t('drift.none');
  return t(driftMs > 0 ? 'drift.ahead' : 'drift.behind', { duration: formatDuration(driftMs, lang) });
}
