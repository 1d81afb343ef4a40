import { describe, expect, it } from 'vitest';
import { formatDuration, parseCount, parseDuration, parsePercent } from './units.ts';

describe('units', () => {
  it.each([
    ['500us', 0.5],
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1.5h', 5_400_000],
    ['0.5s', 500],
  ])('parses duration %s as %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each(['30 sec', '30', '30S', 's', '-5s', '1d', ''])('rejects duration %j and says what is accepted', (input) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint).toContain('"250ms", "30s", "2m"');
  });

  it('rejects a bare number as a duration (units are never guessed)', () => {
    const r = parseDuration(30);
    expect(r.ok).toBe(false);
  });

  it('parses counts with k and M suffixes, and rejects others', () => {
    expect(parseCount('2k')).toEqual({ ok: true, value: 2000 });
    expect(parseCount('1.5M')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseCount(750)).toEqual({ ok: true, value: 750 });
    expect(parseCount('2K').ok).toBe(false);
    expect(parseCount('lots').ok).toBe(false);
    expect(parseCount(Number.NaN).ok).toBe(false);
  });

  it('parses percentages into fractions and refuses more than 100%', () => {
    expect(parsePercent('0.1%')).toEqual({ ok: true, value: 0.001 });
    expect(parsePercent('100%')).toEqual({ ok: true, value: 1 });
    expect(parsePercent('101%').ok).toBe(false);
    expect(parsePercent('0.1').ok).toBe(false);
  });

  it('formats durations that parse back to the same value', () => {
    for (const ms of [250, 30_000, 120_000, 3_600_000, 1500]) {
      const r = parseDuration(formatDuration(ms));
      expect(r).toEqual({ ok: true, value: ms });
    }
  });
});
