import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';
import { REPO } from './helpers.ts';

const FIXED_COST = join(REPO, 'packages/cli/test/fixtures/fixed-cost.ts');

describe('headroom capacity (end to end)', () => {
  it("--points fits the USL to R usl's toy data (σ = κ = 0.02, λ = 1; R package usl, vignette) and stores the row", async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, 'concurrency,throughput\n1,1\n2,1.8868\n4,3.0769\n6,3.5294\n8,3.5398\n10,3.3557\n');
    const r = await headroom(['capacity', '--points', csv, '--expected-peak', '2', '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runId).toBeNull();
    expect(out.usl.sigma).toBeCloseTo(0.02, 3);
    expect(out.usl.kappa).toBeCloseTo(0.02, 3);
    expect(out.usl.lambda).toBeCloseTo(1, 3);
    // N* = √((1 − σ)/κ) = √49 = 7
    expect(out.usl.peakConcurrency).toBeCloseTo(7, 1);
    expect(out.steps).toHaveLength(6);
    expect(out.headroom.value).toBeCloseTo(3.3557 / 2, 4); // no SLO: every point passes, capacity ≥ the last
    const text = await headroom(['capacity', '--points', csv, '--db', db]);
    expect(text.stdout).toMatch(/USL fit\s+σ 0\.02/);
    expect(text.stdout).toMatch(/peak at N\* 7/);
    const rows = await query<{ method: string; usl_sigma: number; run_id: string | null }>(
      db,
      'SELECT method, usl_sigma, run_id FROM capacity',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ method: 'points', run_id: null });
  });

  it('--points with bad lines exits 2 naming each line; a run and --points together is a usage error', async () => {
    const dir = tempDir();
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'concurrency,throughput\n1,10\n2,abc\n-3,5\n');
    const r = await headroom(['capacity', '--points', csv, '--json', '--db', join(dir, 'h.duckdb')]);
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('E_VALIDATION');
    expect(err.issues.map((i: { path: string }) => i.path)).toEqual(['line 3, throughput', 'line 4, concurrency']);
    const both = await headroom(['capacity', 'latest', '--points', csv, '--db', join(dir, 'h.duckdb')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });

  it('a malformed budget or stopWhen is exit 2 with its path and the accepted forms, before anything starts', async () => {
    const dir = tempDir();
    const file = writeScenario(
      dir,
      'bad',
      `{ name: 'bad', target: 'http://127.0.0.1:1', requests: [{ path: '/' }], slo: { p99: '10ms' },
      phases: [{ name: 'c', rate: { from: 10, to: 50, step: 10 }, stepDuration: '1s', stopWhen: 'sometimes' }],
      budgets: { cpu: 'sixty', disk: '1GB' } }`,
    );
    const r = await headroom(['run', file, '--json', '--db', join(dir, 'h.duckdb')]);
    expect(r.code).toBe(2);
    const issues = JSON.parse(r.stdout).error.issues as { path: string; hint?: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(['budgets.cpu', 'budgets.disk', 'phases[0].stopWhen']);
    expect(issues.find((i) => i.path === 'budgets.cpu')?.hint).toContain("'< 60%' or '60%'");
  });

  it('a breakpoint run stops itself, stores service CPU from /proc, and capacity reads it back', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    // 4 ms of CPU per request: the ceiling is under 250/s, so steps of 100/s break within three steps.
    const file = writeScenario(
      dir,
      'bp',
      `{ name: 'bp',
      service: { command: ['node', ${JSON.stringify(FIXED_COST)}], env: { PORT: '${port}', COST_US: '4000' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/work' }], workers: { cpus: [1] },
      phases: [{ name: 'capacity', rate: { from: 100, to: 1000, step: 100 }, stepDuration: '1s', stopWhen: 'slo' }],
      slo: { p99: '40ms' }, expectedPeak: 50, timeout: '2s' }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.warnings.some((w: string) => /breakpoint search: .* failed in [2-9] consecutive steps/.test(w))).toBe(true);
    const steps = await query<{
      phase: string;
      cut_short: boolean;
      cpu_util: number | null;
      cpu_per_request_us: number | null;
      concurrency: number;
    }>(db, "SELECT phase, cut_short, cpu_util, cpu_per_request_us, concurrency FROM phases WHERE phase LIKE 'capacity@%' ORDER BY ordinal");
    expect(steps.length).toBeLessThan(10);
    // Steps that had begun when the search stopped are cut short, all after the ones it judged.
    const judged = steps.findIndex((s) => s.cut_short);
    expect(judged).toBeGreaterThanOrEqual(2);
    expect(steps.slice(judged).every((s) => s.cut_short)).toBe(true);
    // Each request costs 4 ms of CPU, plus HTTP handling; /proc counts CPU in 10 ms ticks.
    expect(steps[0]!.cpu_per_request_us).toBeGreaterThan(3900);
    expect(steps[0]!.cpu_per_request_us).toBeLessThan(8000);
    expect(steps[0]!.cpu_util).toBeGreaterThan(0.1);
    const series = await query<{ n: number; cpu: number }>(db, 'SELECT count(proc_cpu) AS n, max(proc_threads) AS cpu FROM series');
    expect(series[0]!.n).toBeGreaterThan(1);
    const c = await headroom(['capacity', 'latest', '--json', '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    const out = JSON.parse(c.stdout);
    expect(out.runId).toBe(run.runId);
    // Judged steps, then any cut-short step whose answers already failed the SLO (kept as failing); the rest are left out.
    expect(out.steps.slice(0, judged).map((s: { phase: string }) => s.phase)).toEqual(steps.slice(0, judged).map((s) => s.phase));
    for (const kept of out.steps.slice(judged) as { phase: string; pass: boolean }[]) {
      expect(kept.pass).toBe(false);
      expect(out.warnings).toContainEqual(expect.stringContaining(`${kept.phase} was cut short by the breakpoint search and stays in`));
    }
    // It can never carry more than its construction allows (1 / 4 ms = 250/s on its one core).
    expect(out.capacity.rate).toBeLessThan(260);
    expect(out.capacity.limitedBy).not.toBeNull();
    expect(out.warnings.some((w: string) => /cut short/.test(w))).toBe(true);
  });

  it('stops during the step that settles the search, not after the next ones have overloaded the service further', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    // 10 ms of CPU per request: at most 100/s. At 150/s the queue grows by 50 a second, so more than 1% of the
    // step's 300 arrivals wait past 40 ms within its first second: certain before its backlog (~1 s) drains.
    const file = writeScenario(
      dir,
      'bp-live',
      `{ name: 'bp-live',
      service: { command: ['node', ${JSON.stringify(FIXED_COST)}], env: { PORT: '${port}', COST_US: '10000' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/work' }], workers: { cpus: [1] },
      phases: [{ name: 'capacity', rate: { from: 50, to: 650, step: 100 }, stepDuration: '2s', stopWhen: 'slo' }],
      slo: { p99: '40ms' }, timeout: '10s' }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    const decided = run.warnings.find((w: string) => w.startsWith('breakpoint search:')) as string;
    expect(decided).toMatch(/judged while running: \d+ of its \d+ arrivals already answered slower than the SLO's p99 of 40ms/);
    const steps = await query<{ phase: string; cut_short: boolean; requests: bigint }>(
      db,
      "SELECT phase, cut_short, requests FROM phases WHERE phase LIKE 'capacity@%' ORDER BY ordinal",
    );
    // Judged after draining, the search ran 350/s and 450/s before it stopped. Now it stops on the step that settles it
    // (the second failing one in a row, "up to" in the warning): that step, or the one sending when the verdict came,
    // is the last begun, and it is cut short. On a calm machine 50/s passes, 150/s fails and drains whole (every
    // arrival answered) and 250/s settles it; under other tests' load 50/s may fail too, and 150/s settles it.
    const phases = steps.map((s) => s.phase);
    const upTo = /\(up to (capacity@\d+)\)/.exec(decided)?.[1] ?? '';
    expect(phases).toContain(upTo);
    expect(phases.length).toBeLessThanOrEqual(phases.indexOf(upTo) + 2);
    expect(phases.length).toBeLessThanOrEqual(3);
    expect(steps.map((s) => s.cut_short)).toEqual(phases.map((_, i) => i === phases.length - 1));
    expect(decided).toContain(`1 step (${phases.at(-1)}) had begun and is stored as cut short`);
    if (phases.length === 3) expect(Number(steps[1]!.requests)).toBe(300);
    const c = await headroom(['capacity', 'latest', '--json', '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    const out = JSON.parse(c.stdout);
    // The cut step stays in as a failing step when its answers already fail the SLO, else it is left out.
    const cutKept = out.warnings.some((w: string) => w.startsWith(`${phases.at(-1)} was cut short by the breakpoint search and stays in`));
    expect(out.steps.length).toBe(cutKept ? phases.length : phases.length - 1);
    if (out.capacity.rate !== null) expect(out.capacity.rate).toBeLessThan(150);
  }, 60_000);

  it('a step cut short because it certainly failed bounds the capacity from above (stopWhen after: 1)', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    // 10 ms of CPU per request: at most 100/s; 20/s passes even beside other tests. The first failing step (120/s)
    // settles the search (after: 1) while it still sends, so it is cut short; its answers already show more than 1%
    // of its arrivals over the SLO.
    const file = writeScenario(
      dir,
      'bp-one',
      `{ name: 'bp-one',
      service: { command: ['node', ${JSON.stringify(FIXED_COST)}], env: { PORT: '${port}', COST_US: '10000' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/work' }], workers: { cpus: [1] },
      phases: [{ name: 'capacity', rate: { from: 20, to: 620, step: 100 }, stepDuration: '3s', stopWhen: { slo: true, after: 1 } }],
      slo: { p99: '100ms' }, timeout: '10s' }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    const cut = (run.phases as { phase: string; cutShort?: boolean }[]).filter((p) => p.cutShort && p.phase.startsWith('capacity@'));
    expect(cut.length).toBe(1);
    const c = await headroom(['capacity', 'latest', '--json', '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    const out = JSON.parse(c.stdout);
    // Before, the cut step was left out and capacity read "every step passed: at least the last step".
    const last = out.steps.at(-1) as { phase: string; pass: boolean };
    expect(last).toMatchObject({ phase: cut[0]!.phase, pass: false });
    expect(out.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${cut[0]!.phase} was cut short by the breakpoint search and stays in as a failing step: .*slower than the SLO's p99 of 100ms`,
        ),
      ),
    );
    expect(out.capacity.rate).toBeLessThan(100);
  }, 60_000);
});
