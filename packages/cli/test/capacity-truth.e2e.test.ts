/**
 * Honesty checks of capacity, end to end with the real CLI against targets whose answer is
 * known without headroom's analysis. They measure speed, so run them alone and under the
 * shared lock, and only when asked:
 *   HEADROOM_TRUTH=1 flock /tmp/headroom-measure.lock npx vitest run test/capacity-truth.e2e.test.ts
 * (inside `npm test` they would load the machine while other suites measure, and be disturbed by them).
 *
 * Status on the project's 2-core VM (AMD EPYC, Node 24.21.0, 2026-12-02): the known-capacity check
 * passed in 3 of 3 runs with the service's session raised. The M/D/1 check failed while the
 * unqueued time came from a separate calibration phase at 40 req/s (waits 32% under and 26% over,
 * then 73% under and below zero): waking an idle vCPU costs ~0.6-0.9 ms here, and how often that
 * is paid depends on the rate. Taking the unqueued time from the phase itself (fastestMean) and
 * keeping both CPUs from idling, it passed twice: ρ = 0.5 wait 1.166 and 1.070 ms vs M/D/1's
 * 1.046 and 1.040, ρ = 0.8 4.632 and 3.798 ms vs 4.150 and 4.153.
 * The known answers assume the service and the generator each have their core to themselves.
 * On a shared machine other sessions can take part of those cores; the service and the workers
 * run in sessions of their own (so Linux's autogroup scheduling shares CPU per session and a
 * plain nice value does not help), so the test raises their sessions' priority through
 * /proc/<pid>/autogroup while they run, when it may (root).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { md1 } from '@headroom/analysis';
import { decodeHistogram } from '@headroom/internal';
import { PoissonSchedule } from '@headroom/load';
import { REPO, freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';

const FIXED_COST = join(REPO, 'packages/cli/test/fixtures/fixed-cost.ts');
const TWO_CPUS = availableParallelism() >= 2;
const ASKED = process.env['HEADROOM_TRUTH'] === '1';
if (!TWO_CPUS)
  console.warn('capacity truth checks skipped: they pin the service and the generator to separate CPUs and need 2 (this machine has 1)');
else if (!ASKED)
  console.warn('capacity truth checks skipped: they measure; run them alone with HEADROOM_TRUTH=1 under flock /tmp/headroom-measure.lock');

function service(port: number, costUs: number): string {
  return `service: { command: ['node', ${JSON.stringify(FIXED_COST)}], env: { PORT: '${port}', COST_US: '${costUs}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
    target: 'http://127.0.0.1:${port}', requests: [{ path: '/work' }], workers: { cpus: [1] }`;
}

/** Every descendant of `root` (from /proc/<pid>/task/<tid>/children). */
function descendants(root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      let text = '';
      try {
        text = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of text.split(' ').filter((x) => x.trim() !== '')) {
        out.push(Number(c));
        stack.push(Number(c));
      }
    }
  }
  return out;
}

/** Raises the scheduling priority of the run's sessions (CLI, service, workers) while it runs. */
function boost(child: ChildProcess): void {
  const timer = setInterval(() => {
    for (const pid of [child.pid as number, ...descendants(child.pid as number)]) {
      try {
        if (!readFileSync(`/proc/${pid}/autogroup`, 'utf8').includes('nice -10')) writeFileSync(`/proc/${pid}/autogroup`, '-10');
      } catch {
        /* gone, or not permitted */
      }
    }
  }, 100);
  child.on('exit', () => clearInterval(timer));
}

/**
 * Keeps each CPU from going idle while the test runs: one busy loop per CPU under SCHED_IDLE
 * (`chrt --idle 0`), which runs only when nothing else wants that CPU and gives way at once
 * when the service or the generator wakes. On a KVM guest an idle vCPU halts, and waking it
 * takes the host 0.6-0.9 ms, paid by a request only when it finds the server (or the generator)
 * idle: the service time then depends on the arrival pattern, which M/D/1's deterministic
 * service does not allow, and the unqueued calibration at a low rate pays it more often than
 * the measured phases do. With the CPUs never idle every request sees the same service time.
 */
function keepCpusAwake(cpus: number[]): () => void {
  const loops = cpus.map((c) =>
    spawn('taskset', ['-c', String(c), 'chrt', '--idle', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore', detached: true }),
  );
  // Each loop is a session of its own (detached), so an autogroup of its own: at nice 19 that
  // group weighs 15 against the boosted run's 9548 (kernel/sched/core.c sched_prio_to_weight),
  // where the test runner's own group would weigh 1024 and take a tenth of a busy CPU.
  setTimeout(() => {
    for (const l of loops) {
      try {
        writeFileSync(`/proc/${l.pid}/autogroup`, '19');
      } catch {
        /* not permitted: the loops still run at SCHED_IDLE within their group */
      }
    }
  }, 50);
  return () => {
    for (const l of loops) if (l.pid !== undefined) process.kill(-l.pid, 'SIGKILL');
  };
}

interface PhaseRow {
  phase: string;
  achieved_rate: number;
  mean_ms: number;
  p99_ms: number;
  cpu_util: number | null;
  service_hist: Uint8Array;
}

/** Mean time from the actual send to the response, ms: the server's queue and service, without the generator's own send lag. */
const serviceMean = (p: PhaseRow) => decodeHistogram(p.service_hist).mean / 1000;

/**
 * Mean of the fastest `fraction` of a phase's service times, ms (the integral of the quantile
 * function over [0, fraction], on a 400-point grid). In M/D/1 a request waits with probability
 * ρ (PASTA: Poisson arrivals see the time-average state, Wolff 1982), so the fastest 1 − ρ of
 * requests are the ones that found the server idle, and their mean is the phase's own unqueued
 * time: the generator's and the host's costs at that very rate, which a calibration at another
 * rate does not reproduce on a VM whose wake-up cost depends on how often it wakes.
 */
function fastestMean(p: PhaseRow, fraction: number): number {
  const h = decodeHistogram(p.service_hist);
  const n = 400;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += h.getValueAtPercentile((100 * fraction * (k + 0.5)) / n);
  return sum / n / 1000;
}

async function run(dir: string, db: string, name: string, body: string): Promise<PhaseRow[]> {
  const file = writeScenario(dir, name, `{ name: '${name}', ${body} }`);
  const r = await headroom(['run', file, '--json', '--db', db], { onSpawn: boost });
  expect(r.code, r.stderr).toBe(0);
  const id = JSON.parse(r.stdout).runId as string;
  return query<PhaseRow>(
    db,
    `SELECT phase, achieved_rate, mean_ms, p99_ms, cpu_util, service_hist FROM phases WHERE run_id = '${id}' ORDER BY ordinal`,
  );
}

describe.runIf(TWO_CPUS && ASKED)('capacity truth (known targets, real CLI)', () => {
  it('finds the ceiling of a service that spends 1 ms of CPU per request, within 10%, limited by CPU', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    // The ceiling measured without the analysis: a closed loop of 16 connections keeps the one core saturated.
    const sat = await run(
      dir,
      db,
      'ceiling',
      `${service(port, 1000)}, phases: [{ name: 'warmup', duration: '1s', connections: 2 }, { name: 'sat', duration: '4s', connections: 16 }]`,
    );
    const ceiling = sat.find((p) => p.phase === 'sat')!.achieved_rate;
    expect(ceiling).toBeGreaterThan(500); // 1 ms of CPU plus HTTP handling: well under 1000/s, well over 500/s
    expect(ceiling).toBeLessThan(1000);
    // Below the ceiling, evenly spaced arrivals never queue; above it the backlog grows by (rate − ceiling) a
    // second, so a step 10% over it waits ~200 ms by its end. A 100 ms SLO leaves room for the odd stall of
    // a shared machine below the ceiling and still breaks within a step or two above it.
    const step = Math.round(ceiling * 0.05);
    const from = Math.round(ceiling * 0.6);
    await run(
      dir,
      db,
      'breakpoint',
      `${service(port, 1000)},
      phases: [{ name: 'warmup', duration: '1s', connections: 2 },
               { name: 'capacity', rate: { from: ${from}, to: ${from + 14 * step}, step: ${step} }, stepDuration: '2s', stopWhen: 'slo' }],
      slo: { p99: '100ms' }, expectedPeak: ${Math.round(ceiling / 2)}, budgets: { cpu: '60%' }`,
    );
    const c = await headroom(['capacity', 'latest', '--json', '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    const out = JSON.parse(c.stdout);
    expect(Math.abs(out.capacity.rate / ceiling - 1), `capacity ${out.capacity.rate} vs ceiling ${ceiling}`).toBeLessThan(0.1);
    expect(out.capacity.limitedBy).toBe('cpu');
    // The search stopped itself: fewer than the 15 steps ran.
    expect(out.steps.length).toBeLessThan(15);
    // The CPU budget of 60% is ~60% of the ceiling (CPU grows linearly with the rate at a fixed cost per request).
    expect(Math.abs(out.cpuBudgetCapacity.rate / (0.6 * ceiling) - 1)).toBeLessThan(0.15);
    expect(out.headroom.value).toBeCloseTo(out.cpuBudgetCapacity.rate / Math.round(ceiling / 2), 6);
    const [row] = await query<{ limited_by: string; rate: number }>(db, 'SELECT limited_by, rate FROM capacity');
    expect(row).toEqual({ limited_by: 'cpu', rate: out.capacity.rate });
  });

  it('Poisson arrivals at utilisation 0.5 and 0.8 wait as long as M/D/1 says (ρ/(2μ(1−ρ)), Kleinrock 1975), within 15%', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const release = keepCpusAwake([0, 1]);
    try {
      // Calibrate the service rate μ: a closed loop of 8 connections keeps the one core saturated.
      const cal = await run(
        dir,
        db,
        'calibrate',
        `${service(port, 2000)}, phases: [{ name: 'warmup', duration: '1s', connections: 2 }, { name: 'sat', duration: '3s', connections: 8 }]`,
      );
      const mu = cal.find((p) => p.phase === 'sat')!.achieved_rate;
      const rates = [0.5, 0.8].map((rho) => Math.round(rho * mu));
      const durationS = 15;
      const measured = await run(
        dir,
        db,
        'poisson',
        `${service(port, 2000)}, arrivals: 'poisson', seed: 1,
      phases: [{ name: 'warmup', duration: '1s', connections: 1 }, { name: 'rho50', duration: '${durationS}s', rate: ${rates[0]} }, { name: 'rho80', duration: '${durationS}s', rate: ${rates[1]} }]`,
      );
      ['rho50', 'rho80'].forEach((name, k) => {
        const lambda = rates[k]!;
        const theory = md1(lambda, mu);
        if (theory.status !== 'stable') throw new Error('unstable');
        // Waiting = time from the actual send (so a send the generator's timers let leave late is not counted:
        // the server saw it arrive then) beyond an unqueued request's, the phase's own fastest 1 − ρ (fastestMean).
        const row = measured.find((p) => p.phase === name)!;
        const waitMs = serviceMean(row) - fastestMean(row, 1 - lambda / mu);
        // The same seeded arrivals through Lindley's recursion w' = max(0, w + 1/μ − gap): how far this one
        // sample of arrivals sits from the long-run mean, so a miss can be told from sampling noise.
        const s = new PoissonSchedule({ rate: lambda, durationMs: durationS * 1000, seed: 1, worker: 0, workers: 1, unit: k + 1 });
        let w = 0,
          sum = 0,
          n = 0,
          prev = s.at(0);
        for (let j = 1; Number.isFinite(s.at(j)); j++) {
          w = Math.max(0, w + 1000 / mu - (s.at(j) - prev));
          prev = s.at(j);
          sum += w;
          n++;
        }
        const note = `${name}: λ ${lambda}/s, μ ${mu.toFixed(0)}/s: measured wait ${waitMs.toFixed(3)} ms, M/D/1 ${(theory.meanWait * 1000).toFixed(3)} ms, this arrival sample simulated ${(sum / n).toFixed(3)} ms`;
        console.log(note);
        expect(Math.abs(waitMs / (theory.meanWait * 1000) - 1), note).toBeLessThan(0.15);
      });
    } finally {
      release();
    }
  });
});
