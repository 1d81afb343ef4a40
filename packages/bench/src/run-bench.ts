/**
 * Runs a validated bench: every task `runs` times, interleaved across tasks (A B C A B C …)
 * so slow drift of the machine (thermal, other tenants) spreads over all tasks instead of
 * biasing the one that ran last. Each repetition runs in a worker pinned to bench.cpus:
 * a fresh process per repetition (isolation 'process'), or a fresh piscina worker thread in
 * one pinned host process (isolation 'thread'). Repetitions run one at a time.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from '@headroom/core';
import { pinnedTo, unionCpus, type ThreadAffinity } from '@headroom/internal';
import { BenchWorkerProcess } from './bench-worker-process.ts';
import type { MeasuredStats } from './protocol.ts';
import { repetitionWarnings } from './repetition-warnings.ts';

export interface RunBenchOptions {
  /** Called synchronously for every event, in order. */
  onEvent?: (event: BenchEvent) => void;
  /** Aborting kills the running worker; the result has status 'aborted' and what was measured. */
  signal?: AbortSignal;
  /** Write a V8 CPU profile (.cpuprofile) of every repetition's warm-up and measurement into `dir`. */
  profile?: { dir: string };
  /** Per-iteration samples kept per repetition, evenly thinned by rank above this. @default 10000 */
  sampleCap?: number;
}

export const RUN_BENCH_DEFAULTS = { sampleCap: 10_000 } as const;

/** One successful repetition: what the worker measured, plus who measured it and where it ran. */
export interface RepetitionResult extends MeasuredStats {
  task: string;
  /** 1-based. */
  repetition: number;
  pid: number;
  /** Union of the CPUs any thread of the worker was allowed, read from /proc. */
  cpus: number[];
  threads: ThreadAffinity[];
  /** Every thread was allowed exactly bench.cpus. */
  pinned: boolean;
  /** The .cpuprofile written for this repetition, when profiling. */
  profile?: string;
}

export interface RepetitionFailure {
  status: 'failed';
  task: string;
  repetition: number;
  pid: number | null;
  error: string;
}

export type RepetitionOutcome = RepetitionResult | RepetitionFailure;

export interface BenchRunResult {
  /** 'failed' when at least one task failed (the others still ran); 'aborted' when the signal fired. */
  status: 'completed' | 'failed' | 'aborted';
  bench: string;
  cpus: number[];
  isolation: Bench['isolation'];
  repetitions: RepetitionOutcome[];
  failedTasks: string[];
}

export type BenchEvent =
  | { type: 'start'; bench: string; tasks: string[]; runs: number; cpus: number[]; isolation: Bench['isolation']; total: number }
  | { type: 'progress'; task: string; repetition: number; runs: number; index: number; total: number }
  | { type: 'repetition'; outcome: RepetitionOutcome }
  | { type: 'warning'; message: string }
  | { type: 'done'; result: BenchRunResult };

const PROCESS_WORKER = fileURLToPath(new URL('./process-worker.ts', import.meta.url));
const THREAD_HOST = fileURLToPath(new URL('./thread-host.ts', import.meta.url));

/** Runs the bench and resolves with every repetition's outcome; task failures are data, not exceptions. */
export async function runBench(bench: Bench, options: RunBenchOptions = {}): Promise<BenchRunResult> {
  const emit = options.onEvent ?? (() => {});
  const sampleCap = options.sampleCap ?? RUN_BENCH_DEFAULTS.sampleCap;
  const total = bench.runs * bench.tasks.length;
  const result: BenchRunResult = {
    status: 'completed',
    bench: bench.name,
    cpus: bench.cpus,
    isolation: bench.isolation,
    repetitions: [],
    failedTasks: [],
  };
  emit({ type: 'start', bench: bench.name, tasks: bench.tasks, runs: bench.runs, cpus: bench.cpus, isolation: bench.isolation, total });
  if (options.profile) mkdirSync(options.profile.dir, { recursive: true });

  let current: BenchWorkerProcess | undefined;
  const onAbort = () => current?.kill();
  options.signal?.addEventListener('abort', onAbort);
  const host =
    bench.isolation === 'thread' ? (current = await BenchWorkerProcess.start({ entry: THREAD_HOST, cpus: bench.cpus })) : undefined;
  let index = 0;
  try {
    for (let rep = 1; rep <= bench.runs; rep++) {
      for (const task of bench.tasks) {
        index++;
        if (options.signal?.aborted) break;
        if (result.failedTasks.includes(task)) continue;
        emit({ type: 'progress', task, repetition: rep, runs: bench.runs, index, total });
        const profile = options.profile ? join(options.profile.dir, `${task.replace(/[^\w.-]+/g, '_')}.rep${rep}.cpuprofile`) : undefined;
        const worker = host ?? (current = await BenchWorkerProcess.start({ entry: PROCESS_WORKER, cpus: bench.cpus }));
        if (options.signal?.aborted) break;
        const { measurement: m, threads } = await worker.run({
          file: bench.file,
          task,
          timeMs: bench.timeMs,
          warmupMs: bench.warmupMs,
          sampleCap,
          ...(profile === undefined ? {} : { profile }),
        });
        worker.release();
        if (!host) await worker.exited;
        if (options.signal?.aborted) break;
        let outcome: RepetitionOutcome;
        if (m.status === 'failed') {
          outcome = { status: 'failed', task, repetition: rep, pid: worker.pid, error: m.error };
          result.failedTasks.push(task);
        } else {
          const { status: _s, ...stats } = m;
          outcome = {
            status: 'ok',
            task,
            repetition: rep,
            pid: worker.pid,
            cpus: unionCpus(threads),
            threads,
            pinned: pinnedTo(threads, bench.cpus),
            ...stats,
          };
          if (profile && existsSync(profile)) outcome.profile = profile;
          for (const message of repetitionWarnings(outcome, bench)) emit({ type: 'warning', message });
        }
        result.repetitions.push(outcome);
        emit({ type: 'repetition', outcome });
      }
      if (options.signal?.aborted) break;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (!host && current) {
      current.kill(); // no-op unless an abort left it running
      await current.exited;
    }
    if (host) {
      host.exit();
      if (options.signal?.aborted) host.kill();
      await host.exited;
    }
  }
  if (options.signal?.aborted) result.status = 'aborted';
  else if (result.failedTasks.length > 0) result.status = 'failed';
  emit({ type: 'done', result });
  return result;
}
