// Formatting: timestamps in Asia/Shanghai whatever the machine's zone, stopwatch and spoken durations, clock drift.
import { describe, expect, it } from 'vitest';
import { DRIFT_WARNING_MS, driftText, formatDateTime, formatDuration, formatElapsed, isLargeDrift, serverClockTime, todayInShanghai } from '../../src/backoffice/format';
import { translator } from '../../src/backoffice/i18n';

describe('formatDateTime', () => {
  it('shows UTC instants in Beijing time (UTC+8), across midnight', () => {
    expect(formatDateTime('2026-03-10T01:00:00.000Z')).toBe('2026-03-10 09:00:00');
    expect(formatDateTime('2026-03-10T16:30:05Z')).toBe('2026-03-11 00:30:05');
    expect(formatDateTime('2026-03-10T09:00:00+08:00')).toBe('2026-03-10 09:00:00');
  });

  it('shows text that is not a timestamp as it came', () => {
    expect(formatDateTime('not a time')).toBe('not a time');
    expect(formatDateTime('')).toBe('');
  });

  it('gives today in Shanghai, which is already tomorrow late in the UTC evening', () => {
    expect(todayInShanghai(new Date('2026-03-10T17:00:00Z'))).toBe('2026-03-11');
    expect(todayInShanghai(new Date('2026-03-10T15:00:00Z'))).toBe('2026-03-10');
  });
});

describe('formatElapsed', () => {
  it('reads like a stopwatch', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(5_999)).toBe('0:05');
    expect(formatElapsed(12 * 60_000 + 34_000)).toBe('12:34');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});

describe('formatDuration', () => {
  it('names the two largest units in each language', () => {
    expect(formatDuration(125_000, 'en')).toBe('2 min 5 s');
    expect(formatDuration(125_000, 'zh-CN')).toBe('2分5秒');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000, 'en')).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 3_600_000, 'zh-CN')).toBe('3天1小时');
    expect(formatDuration(3_600_000 + 4_000, 'en')).toBe('1 h');
  });

  it('is the size of a drift either way, and says 0 for nothing', () => {
    expect(formatDuration(-90_000, 'en')).toBe('1 min 30 s');
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(400, 'zh-CN')).toBe('0秒');
  });
});

describe('clock drift', () => {
  it('warns from the threshold on, in either direction, and never for an unknown drift', () => {
    expect(isLargeDrift(null)).toBe(false);
    expect(isLargeDrift(DRIFT_WARNING_MS - 1)).toBe(false);
    expect(isLargeDrift(DRIFT_WARNING_MS)).toBe(true);
    expect(isLargeDrift(-DRIFT_WARNING_MS)).toBe(true);
  });

  it('describes the drift in words', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect(driftText(null, 'en', en)).toBe(en('drift.unknown'));
    expect(driftText(400, 'en', en)).toBe(en('drift.none'));
    expect(driftText(12 * 60_000, 'en', en)).toBe("12 min ahead of the server's");
    expect(driftText(-90_000, 'zh-CN', zh)).toBe('比服务器慢 1分30秒');
  });

  it('puts a device time on the server clock', () => {
    expect(serverClockTime('2026-03-10T01:10:00.000Z', 10 * 60_000)).toBe('2026-03-10T01:00:00.000Z');
    expect(serverClockTime('2026-03-10T01:00:00.000Z', -60_000)).toBe('2026-03-10T01:01:00.000Z');
    expect(serverClockTime('garbage', 1)).toBeNull();
  });
});
