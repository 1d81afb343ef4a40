import { describe, expect, it } from 'vitest';
import { parseInstant, parseRunOptions } from './run-options.ts';

const now = Date.parse('2026-12-03T18:39:00Z');

function refusal(raw: { segment?: string; startAt?: string }): { code: string; exitCode: number; message: string } {
  try {
    parseRunOptions(raw, now);
  } catch (err) {
    return err as { code: string; exitCode: number; message: string };
  }
  throw new Error('not refused');
}

describe('parseRunOptions (headroom run --segment, --start-at)', () => {
  it('reads i/n counted from 0 and an instant as ISO 8601 with its zone or epoch ms; nothing given is null', () => {
    expect(parseRunOptions({}, now)).toEqual({ segment: null, startAt: null });
    expect(parseRunOptions({ segment: '0/1' }, now).segment).toEqual({ index: 0, count: 1 });
    expect(parseRunOptions({ segment: '3/4', startAt: '2026-12-03T18:40:00Z' }, now)).toEqual({
      segment: { index: 3, count: 4 },
      startAt: Date.parse('2026-12-03T18:40:00Z'),
    });
    expect(parseRunOptions({ startAt: '2026-12-03T19:40:00.250+01:00' }, now).startAt).toBe(now + 60_250);
    expect(parseRunOptions({ startAt: String(now + 5000) }, now).startAt).toBe(now + 5000);
  });

  it.each([
    ['4/4', "--segment 4/4: the index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does: 0/4 … 3/4"],
    ['2/2', "--segment 2/2: the index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does: 0/2 and 1/2"],
    ['0/0', '--segment 0/0: n, the number of segments, must be at least 1'],
    ['0/1001', '--segment 0/1001: at most 1000 segments'],
    ['1.5/4', '--segment 1.5/4: write i/n with whole numbers, i counted from 0'],
    ['$(HEADROOM_SEGMENT_INDEX)/4', '--segment $(HEADROOM_SEGMENT_INDEX)/4: write i/n'],
    ['-1/4', '--segment -1/4: write i/n'],
  ])('refuses --segment %s (exit 2)', (segment, message) => {
    const e = refusal({ segment });
    expect(e).toMatchObject({ code: 'E_OPTION_VALUE', exitCode: 2 });
    expect(e.message).toContain(`headroom run: ${message}`);
  });

  it('refuses a start already past (E_START_PASSED), more than 24h ahead, without a time zone, or not a time', () => {
    expect(refusal({ startAt: '2026-12-03T18:38:56.800Z' })).toMatchObject({
      code: 'E_START_PASSED',
      exitCode: 2,
      message: 'headroom run: --start-at 2026-12-03T18:38:56.800Z: passed 3.2s ago; pick a later time, the same for every segment',
    });
    expect(refusal({ startAt: '2026-12-04T20:39:00Z' }).message).toContain('is 26h 00m ahead, more than 24h');
    expect(refusal({ startAt: '2026-12-03T18:40:00' }).message).toContain('give its time zone, 2026-12-03T18:40:00Z for UTC');
    expect(refusal({ startAt: 'tomorrow' }).message).toContain(
      'takes an ISO 8601 instant like 2026-12-03T18:40:00Z, or epoch milliseconds',
    );
    expect(refusal({ startAt: '2026-13-03T18:40:00Z' }).message).toContain('is not a real date and time');
    expect(refusal({ startAt: '1796323140' }).message).toContain('read as epoch seconds; give epoch milliseconds (1796323140000)');
  });

  it('reports every problem at once', () => {
    const e = refusal({ segment: '4/4', startAt: 'soon' });
    expect(e.code).toBe('E_OPTION_VALUE');
    expect(e.message.split('\n')).toEqual([
      'headroom run: 2 problems',
      "  --segment 4/4: the index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does: 0/4 … 3/4",
      '  --start-at soon: takes an ISO 8601 instant like 2026-12-03T18:40:00Z, or epoch milliseconds',
    ]);
  });

  it('parseInstant (merge --start-at) takes past instants with a zone or epoch ms, and says what is wrong otherwise', () => {
    expect(parseInstant('2026-12-03T18:38:56.800Z')).toBe(Date.parse('2026-12-03T18:38:56.800Z'));
    expect(parseInstant('2026-12-03T19:38:56+01:00')).toBe(Date.parse('2026-12-03T18:38:56Z'));
    expect(parseInstant('1796323140000')).toBe(1796323140000);
    expect(parseInstant('2026-12-03T18:38:56')).toContain('give its time zone');
    expect(parseInstant('yesterday')).toContain('takes an ISO 8601 instant');
    expect(parseInstant('0')).toBe('is not a time: give an ISO 8601 instant like 2026-12-03T18:40:00Z, or epoch milliseconds');
  });
});
