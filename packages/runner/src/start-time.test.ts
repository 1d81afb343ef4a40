import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { Store } from '@headroom/store';
import { runScenario } from './run-load.ts';
import { MIN_START_LEAD_MS, START_DELAY_MS, formatSpan, loadStartAt, waitLine } from './start-time.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-start-time-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadStartAt', () => {
  const now = Date.parse('2026-12-03T18:39:00Z');

  it('starts START_DELAY_MS after preparation when no time is given, else at the time given', () => {
    expect(loadStartAt(null, now)).toBe(now + START_DELAY_MS);
    expect(loadStartAt(now + 60_000, now)).toBe(now + 60_000);
    expect(loadStartAt(now + MIN_START_LEAD_MS, now)).toBe(now + MIN_START_LEAD_MS);
  });

  it('refuses a time already past, or too close for the workers to start, with E_START_PASSED (exit 2) saying how late', () => {
    const refusal = (at: number) => {
      try {
        loadStartAt(at, now);
      } catch (err) {
        return err as { code: string; exitCode: number; message: string };
      }
      throw new Error('not refused');
    };
    const past = refusal(now - 2500);
    expect(past).toMatchObject({ code: 'E_START_PASSED', exitCode: 2 });
    expect(past.message).toContain('--start-at 2026-12-03T18:38:57.500Z is 3.0s late');
    expect(past.message).toContain('pick a later time (e.g. --start-at 2026-12-03T18:41:00Z)');
    expect(refusal(now + 100).message).toContain('is 0.4s late');
  });

  it('says when the load starts while the run waits', () => {
    expect(waitLine(now + 200_000, now, { index: 1, count: 4 })).toBe(
      'segment 1/4: load starts at 2026-12-03T18:42:20.000Z (in 3m 20s); Ctrl-C stops the wait',
    );
    expect(formatSpan(2 * 3_600_000 + 600_000)).toBe('2h 10m');
  });
});

describe('runScenario with a start that passed during preparation', () => {
  it('stores the run as failed, with the message, and exits 2', async () => {
    const db = join(dir, 'h.duckdb');
    const scenario = validateScenario(
      {
        name: 'late',
        target: 'http://127.0.0.1:9',
        requests: [{ path: '/' }],
        workers: { cpus: [0] },
        phases: [{ name: 'p', duration: '1s', rate: 10 }],
      },
      { file: join(dir, 'late.ts'), cpuCount: 2 },
    );
    const outcome = await runScenario(scenario, { db, startAt: Date.now() + 100, segment: { index: 0, count: 2 } });
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 2, phases: [], gates: [] });
    expect(outcome.error).toMatch(/^--start-at \S+ is \d+\.\ds late: the run was prepared at/);
    const store = await Store.open(db, { readOnly: true });
    try {
      const [run] = await store.query<{ status: string; error: string; config: string }>('SELECT status, error, config FROM runs');
      expect(run).toMatchObject({ status: 'failed', error: outcome.error });
      expect(JSON.parse(run!.config).segment).toMatchObject({ index: 0, count: 2, workers: 1 });
    } finally {
      store.close();
    }
  });
});
