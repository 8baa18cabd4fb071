import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, isCalendarDate, parseTime } from './time';

describe('time', () => {
  it('formats hh:mm:ss.mmm with tabular padding', () => {
    expect(formatTime(0)).toBe('00:00:00.000');
    expect(formatTime(751_480)).toBe('00:12:31.480');
    expect(formatTime(3_723_004)).toBe('01:02:03.004');
    expect(formatTime(3_723_004, false)).toBe('01:02:03');
    expect(formatTime(-5)).toBe('00:00:00.000');
  });
  it('formats durations compactly', () => {
    expect(formatDuration(3_492_000)).toBe('58:12');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
  it('parses what people type', () => {
    expect(parseTime('00:12:31.480')).toBe(751_480);
    expect(parseTime('12:31')).toBe(751_000);
    expect(parseTime('751.5')).toBe(751_500);
    expect(parseTime('1:02:03,4')).toBe(3_723_400);
    expect(parseTime(' 90 ')).toBe(90_000);
  });
  it('refuses malformed times', () => {
    for (const bad of ['', 'abc', '12:75', '1:61:00', '-3', '1.2.3', '00:00:00.1234'])
      expect(parseTime(bad)).toBeNull();
  });

  it('takes only dates on the calendar, written YYYY-MM-DD', () => {
    for (const d of ['2026-09-02', '2024-02-29', '2026-12-31', '2000-02-29']) expect(isCalendarDate(d), d).toBe(true);
    for (const d of [
      '2026-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '1900-02-29',
      '2026-9-2',
      '02.09.2026',
      '',
    ])
      expect(isCalendarDate(d), d).toBe(false);
  });
});
