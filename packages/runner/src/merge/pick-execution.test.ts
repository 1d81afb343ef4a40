import { describe, expect, it } from 'vitest';
import type { StoredRun } from '@headroom/store';
import { describePaths, pickExecution, segmentOf, type SegmentRun } from './pick-execution.ts';

const T0 = '2026-12-03T18:40:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function seg(
  index: number,
  count: number,
  o: { startAt?: string; scenario?: string; config?: object; status?: string; id?: string } = {},
): SegmentRun {
  const startAt = o.startAt ?? T0;
  const config = {
    name: o.scenario ?? 'orders',
    phases: [{ name: 'steady' }],
    ...o.config,
    segment: { index, count, startAt, workers: 1 },
  };
  const run = {
    id: o.id ?? `r${index}-${startAt}`,
    kind: 'load',
    scenario: o.scenario ?? 'orders',
    status: o.status ?? 'completed',
    startedAt: new Date(startAt),
    config,
  } as unknown as StoredRun;
  return { run, bundle: `/r/seg-${index}.duckdb`, segment: segmentOf(run)! };
}

const BUNDLES = ['/r/seg-0.duckdb', '/r/seg-1.duckdb', '/r/seg-2.duckdb', '/r/seg-3.duckdb'];

function refusal(found: SegmentRun[], startAt?: string): { code: string; message: string } {
  try {
    pickExecution(found, BUNDLES, startAt === undefined ? {} : { startAt });
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('not refused');
}

describe('pickExecution', () => {
  it('takes every segment of one execution in index order, within 1 s of each other', () => {
    const p = pickExecution([seg(2, 3, { startAt: at(900) }), seg(0, 3), seg(1, 3, { startAt: at(400) })], BUNDLES);
    expect(p.segments.map((s) => s.segment.index)).toEqual([0, 1, 2]);
    expect(p.ignored).toEqual([]);
  });

  it('names the missing segment and where it looked', () => {
    const r = refusal([seg(0, 4), seg(1, 4), seg(3, 4)]);
    expect(r.code).toBe('E_SEGMENTS_INCOMPLETE');
    expect(r.message).toBe('segment 2/4 is missing: merge needs every segment of the execution (found 0, 1, 3 in /r/seg-*.duckdb)');
  });

  it('refuses a segment given twice', () => {
    const r = refusal([seg(0, 2), seg(1, 2, { id: 'a' }), seg(1, 2, { id: 'b' })]);
    expect(r.code).toBe('E_SEGMENTS_INCOMPLETE');
    expect(r.message).toContain('segment 1/2 appears 2 times (run a in /r/seg-1.duckdb, run b in /r/seg-1.duckdb)');
  });

  it('refuses segments of different scenarios, counts or configs', () => {
    expect(refusal([seg(0, 2), seg(1, 2, { scenario: 'checkout' })])).toMatchObject({
      code: 'E_SEGMENT_MISMATCH',
      message: expect.stringContaining('different scenarios (orders: 0/2 in /r/seg-0.duckdb; checkout: 1/2 in /r/seg-1.duckdb)'),
    });
    expect(refusal([seg(0, 2), seg(1, 3)])).toMatchObject({
      code: 'E_SEGMENT_MISMATCH',
      message: expect.stringContaining('disagree on how many there are'),
    });
    expect(refusal([seg(0, 2, { config: { workers: { cpus: [1] } } }), seg(1, 2, { config: { workers: { cpus: [2] } } })])).toMatchObject({
      code: 'E_SEGMENT_MISMATCH',
      message: expect.stringContaining('ran another config than segment 0/2 in /r/seg-0.duckdb: config.workers.cpus[0] (1 vs 2)'),
    });
    // Worker CPUs validation chose from each machine's own CPUs may differ: they are not the scenario's.
    const auto = (cpus: number[]) => ({ config: { workers: { cpus, count: cpus.length, auto: { cpus: true, count: true } } } });
    expect(pickExecution([seg(0, 2, auto([1, 2, 3])), seg(1, 2, auto([1]))], BUNDLES).segments).toHaveLength(2);
    // The same project checked out in different folders: paths in it count from the scenario's folder.
    const checkout = (root: string, rows = 'data/users.csv') => ({ config: { file: `${root}/s.ts`, data: { file: `${root}/${rows}` } } });
    expect(pickExecution([seg(0, 2, checkout('/home/ci/a')), seg(1, 2, checkout('/srv/b'))], BUNDLES).segments).toHaveLength(2);
    expect(refusal([seg(0, 2, checkout('/home/ci/a')), seg(1, 2, checkout('/srv/b', 'data/other.csv'))]).message).toContain(
      'config.data.file ("<scenario folder>/data/users.csv" vs "<scenario folder>/data/other.csv")',
    );
  });

  it('refuses segments that started more than 1 s apart', () => {
    const r = refusal([seg(0, 2), seg(1, 2, { startAt: at(37_000) })]);
    expect(r.code).toBe('E_SEGMENT_SKEW');
    expect(r.message).toMatch(/^segments started 37 s apart .*: they did not load the target together; run them with the same --start-at/);
  });

  it('refuses a segment still running', () => {
    expect(refusal([seg(0, 2), seg(1, 2, { status: 'running' })]).code).toBe('E_SEGMENTS_INCOMPLETE');
  });

  it('lists several complete executions and takes the one --start-at names; leftovers of others are ignored', () => {
    const later = at(3_600_000);
    const found = [seg(0, 2), seg(1, 2), seg(0, 2, { startAt: later }), seg(1, 2, { startAt: later }), seg(0, 2, { startAt: at(-60_000) })];
    const r = refusal(found);
    expect(r.code).toBe('E_SEGMENTS_AMBIGUOUS');
    expect(r.message).toContain(`hold 2 complete executions; choose one with --start-at <iso>:\n  ${T0}  orders (segments 0, 1 of 2)`);
    const p = pickExecution(found, BUNDLES, { startAt: later });
    expect(p.segments.map((s) => s.segment.startAt)).toEqual([later, later]);
    // One complete execution among leftovers of an unfinished one: that one is merged.
    expect(pickExecution(found.slice(2), BUNDLES).ignored.map((s) => s.segment.startAt)).toEqual([at(-60_000)]);
    expect(refusal(found, at(5000))).toMatchObject({ code: 'E_NO_SEGMENTS' });
    expect(refusal(found, 'yesterday')).toMatchObject({ code: 'E_OPTION_VALUE' });
  });

  it('refuses bundles with no segment run', () => {
    expect(refusal([])).toMatchObject({ code: 'E_NO_SEGMENTS', message: expect.stringContaining('--segment i/n') });
  });
});

describe('describePaths', () => {
  it('folds paths that differ in the middle into one pattern', () => {
    expect(describePaths(['a.duckdb'])).toBe('a.duckdb');
    expect(describePaths(['seg-0.duckdb', 'seg-1.duckdb', 'seg-3.duckdb'])).toBe('seg-*.duckdb');
    expect(describePaths(['x', 'y', 'z'])).toBe('x, y, z');
  });
});
