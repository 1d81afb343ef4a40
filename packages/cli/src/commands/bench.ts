import { join, dirname } from 'node:path';
import { ExitCode, formatDuration } from '@headroom/core';
import { medianCI } from '@headroom/analysis';
import { benchRepRows, benchSampleRows, loadBench, runBench, type BenchEvent, type RepetitionOutcome } from '@headroom/bench';
import { formatTable } from '@headroom/report';
import { runIdentity, redact } from '@headroom/runner';
import { newRunId, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

const MAX_LIVE_WARNINGS = 3;

export interface BenchCommandOptions {
  /** Capture a V8 CPU profile of every bench worker into results/<run-id>/profiles. @default false */
  profile?: boolean;
}

/** `headroom bench <file>`: pinned, interleaved, fresh-process repetitions, stored raw. */
export async function benchCommand(file: string, store: Store, out: Output, signal: AbortSignal, options: BenchCommandOptions = {}): Promise<number> {
  const bench = await loadBench(file);
  const runId = newRunId();
  const id = runIdentity(bench.file);
  const startedAt = Date.now();
  const artifactsDir = join(dirname(store.path), runId);
  await store.upsert('runs', [{
    id: runId, kind: 'bench', scenario: bench.name, file: bench.file, status: 'running', started_at: startedAt,
    git_sha: id.gitSha, git_dirty: id.gitDirty, version: id.version, host: id.host, cpu_model: id.cpuModel, cpu_count: id.cpuCount,
    node_version: id.nodeVersion, worker_cpus: JSON.stringify(bench.cpus), config: JSON.stringify(redact(bench)),
  }]);
  out.log(`bench ${bench.name}: ${bench.tasks.length} task(s) × ${bench.runs} runs, ${formatDuration(bench.timeMs)} each, ${bench.isolation} isolation, CPUs ${bench.cpus.join(',')}`);
  const warnings: string[] = [];
  const onEvent = (e: BenchEvent) => {
    if (e.type === 'progress' && out.tty && !out.json) process.stderr.write(`\r\x1b[2K  ${e.index}/${e.total}  ${e.task}  run ${e.repetition}/${e.runs}`);
    if (e.type === 'warning') {
      warnings.push(e.message);
      // Noisy machines warn once per repetition; show a few, count the rest.
      if (warnings.length <= MAX_LIVE_WARNINGS) out.log(`${out.tty ? '\r\x1b[2K' : ''}warning: ${e.message}`);
    }
    if (e.type === 'repetition' && e.outcome.status === 'failed') out.log(`${out.tty ? '\r\x1b[2K' : ''}task ${e.outcome.task} failed in run ${e.outcome.repetition}: ${e.outcome.error}`);
  };
  const result = await runBench(bench, { onEvent, signal, ...(options.profile ? { profile: { dir: join(artifactsDir, 'profiles') } } : {}) });
  if (out.tty && !out.json) process.stderr.write('\r\x1b[2K');
  if (warnings.length > MAX_LIVE_WARNINGS) out.log(`… ${warnings.length - MAX_LIVE_WARNINGS} more warnings (all stored; headroom runs show ${runId})`);
  await store.append('bench_reps', [
    ...benchRepRows(runId, result.repetitions).map((r) => ({ ...r, status: 'ok' })),
    ...result.repetitions.filter((r) => r.status === 'failed').map((r) => ({ run_id: runId, task: r.task, repetition: r.repetition, pid: r.pid, status: 'failed', error: r.error })),
  ]);
  await store.append('bench_samples', benchSampleRows(runId, result.repetitions));
  const status = result.status === 'aborted' ? 'interrupted' : result.status;
  const pins = result.repetitions.filter((r) => r.status === 'ok').map((r) => ({ role: `${r.task}#${r.repetition}`, pid: r.pid, requested: bench.cpus, allowed: r.cpus, verified: r.pinned }));
  await store.run('UPDATE runs SET status = $1, ended_at = make_timestamp($2::BIGINT), warnings = $3, pinning = $4, error = $5 WHERE id = $6', [
    status, BigInt(Date.now() * 1000), JSON.stringify(warnings), JSON.stringify(pins),
    result.failedTasks.length ? `tasks failed: ${result.failedTasks.join(', ')}` : null, runId,
  ]);
  const tasks = summarizeTasks(bench.tasks, result.repetitions);
  if (options.profile) out.log(`CPU profiles (V8 .cpuprofile: Chrome DevTools, speedscope) in ${join(artifactsDir, 'profiles')}`);
  if (out.json) out.resultJson({ runId, bench: bench.name, status, cpus: bench.cpus, tasks, warnings, db: store.path });
  else out.result(formatBenchTable(runId, bench.name, status, tasks, store.path));
  if (status === 'interrupted') return ExitCode.interrupted;
  return status === 'failed' ? ExitCode.runFailed : ExitCode.ok;
}

interface TaskSummary { task: string; runs: number; failed: number; medianNs: number | null; ciLowNs: number | null; ciHighNs: number | null; cvPct: number | null; opsPerSec: number | null }

function summarizeTasks(tasks: string[], reps: RepetitionOutcome[]): TaskSummary[] {
  return tasks.map((task) => {
    const mine = reps.filter((r) => r.task === task);
    const ok = mine.flatMap((r) => (r.status === 'ok' ? [r.medianNs] : []));
    const m = ok.length ? medianCI(ok) : null;
    const mean = ok.reduce((s, v) => s + v, 0) / (ok.length || 1);
    const sd = Math.sqrt(ok.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, ok.length - 1));
    return {
      task, runs: ok.length, failed: mine.length - ok.length, medianNs: m?.median ?? null, ciLowNs: m?.ci?.low ?? null, ciHighNs: m?.ci?.high ?? null,
      cvPct: ok.length > 1 ? (sd / mean) * 100 : null, opsPerSec: m ? 1e9 / m.median : null,
    };
  });
}

function ns(v: number | null): string {
  if (v === null) return '-';
  if (v < 1000) return `${v.toFixed(1)}ns`;
  if (v < 1e6) return `${(v / 1e3).toFixed(2)}µs`;
  return `${(v / 1e6).toFixed(2)}ms`;
}

function formatBenchTable(runId: string, name: string, status: string, tasks: TaskSummary[], db: string): string {
  const rows = tasks.map((t) => [
    t.task, ns(t.medianNs), t.ciLowNs === null ? 'too few runs for a CI' : `${ns(t.ciLowNs)} … ${ns(t.ciHighNs)}`,
    t.cvPct === null ? '-' : `${t.cvPct.toFixed(1)}%`, t.opsPerSec === null ? '-' : Math.round(t.opsPerSec).toLocaleString('en-US'),
    `${t.runs}${t.failed ? ` (+${t.failed} failed)` : ''}`,
  ]);
  return [
    `${name}  run ${runId}  ${status}`, '',
    formatTable(['task', 'median/op', '95% CI of median', 'CV', 'ops/s', 'runs'], rows, { rightAlign: [false, true, true, true, true, true] }),
    '', 'median of the per-run medians; CI from order statistics; each run a fresh pinned process',
    `stored in ${db} as ${runId}; compare with: headroom compare <baseline> ${runId}`,
  ].join('\n');
}
