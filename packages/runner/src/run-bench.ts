/**
 * `headroom bench` orchestrated like `headroom run`: one run record, the bench executor in
 * pinned workers, every repetition on the sample bus as it finishes (the store sink writes
 * it), and a typed outcome for the renderer. Task failures are data, not exceptions.
 */
import { join } from 'node:path';
import { summarizeBenchTasks, type BenchTaskSummary } from '@headroom/analysis';
import { loadBench, runBench, type BenchEvent } from '@headroom/bench';
import { ExitCode, formatDuration, type ExitCodeValue } from '@headroom/core';
import { benchProfiles } from './bench-profiles.ts';
import { SampleBus, type RunStatus } from './bus.ts';
import { closeRun, openRun } from './run-record.ts';
import { StoreSink } from './sinks/store-sink.ts';

/** Options of {@link runBenchFile}. */
export interface RunBenchFileOptions {
  /** The store file; the run writes its own spool beside it and is folded in at the end. */
  db: string;
  /** Capture a V8 CPU profile of every bench worker into results/<run-id>/profiles. @default false */
  profile?: boolean;
  /** Draw a live progress line on stderr. @default false */
  progress?: boolean;
  /** Aborting kills the running worker and stores the partial run as interrupted. */
  signal?: AbortSignal;
  /** Status and warning lines (stderr in the CLI). @default no-op */
  log?(line: string): void;
  /**
   * The CPUs the bench's CPU set may name. A caller that pinned itself (a check after its load
   * runs) passes the set it saw before. @default this process's affinity
   */
  cpus?: readonly number[];
}

/** What a bench run produced. */
export interface BenchOutcome {
  runId: string;
  bench: string;
  status: RunStatus;
  exitCode: ExitCodeValue;
  cpus: number[];
  /** Each run in a fresh pinned process, or a fresh worker thread of one pinned process. */
  isolation: 'process' | 'thread';
  tasks: BenchTaskSummary[];
  warnings: string[];
  /** Where --profile wrote the workers' CPU profiles, else null. */
  profilesDir: string | null;
}

/** Live warnings shown per run; the rest are counted (all are stored). */
const MAX_LIVE_WARNINGS = 3;

/** Loads and validates a bench file, runs it pinned, stores every repetition, and summarises it. */
export async function runBenchFile(file: string, options: RunBenchFileOptions): Promise<BenchOutcome> {
  const log = options.log ?? (() => {});
  const bench = await loadBench(file, options.cpus === undefined ? {} : { cpus: options.cpus });
  const record = openRun(options.db, {
    kind: 'bench',
    name: bench.name,
    file: bench.file,
    config: bench,
    serviceCpus: null,
    workerCpus: bench.cpus,
  });
  const warnings: string[] = [];
  const bus = new SampleBus((sink, err) => warnings.push(`output ${sink} failed and was detached: ${(err as Error).message}`));
  bus.attach(new StoreSink(record.spool, record.id));
  const clear = options.progress ? '\r\x1b[2K' : '';
  log(
    `bench ${bench.name}: ${bench.tasks.length} task(s) × ${bench.runs} runs, ${formatDuration(bench.timeMs)} each, ${bench.isolation} isolation, CPUs ${bench.cpus.join(',')}`,
  );
  const onEvent = (e: BenchEvent) => {
    if (e.type === 'progress' && options.progress)
      process.stderr.write(`${clear}  ${e.index}/${e.total}  ${e.task}  run ${e.repetition}/${e.runs}`);
    if (e.type === 'warning') {
      warnings.push(e.message);
      if (warnings.length <= MAX_LIVE_WARNINGS) log(`${clear}warning: ${e.message}`);
    }
    if (e.type === 'repetition') {
      bus.publish({ type: 'bench-rep', outcome: e.outcome });
      if (e.outcome.status === 'failed') log(`${clear}task ${e.outcome.task} failed in run ${e.outcome.repetition}: ${e.outcome.error}`);
    }
  };
  const profilesDir = options.profile ? join(record.artifactsDir, 'profiles') : null;
  const result = await runBench(bench, {
    onEvent,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(profilesDir ? { profile: { dir: profilesDir } } : {}),
  });
  if (options.progress) process.stderr.write(clear);
  if (warnings.length > MAX_LIVE_WARNINGS)
    log(`… ${warnings.length - MAX_LIVE_WARNINGS} more warnings (all stored; headroom runs show ${record.id})`);
  if (profilesDir) {
    try {
      const { profiles, functions } = await benchProfiles(profilesDir);
      bus.publish({ type: 'profiles', profiles, functions });
    } catch (err) {
      warnings.push(`the workers' CPU profiles could not be converted for headroom profile: ${(err as Error).message}`);
    }
  }
  await bus.close();
  const status: RunStatus = result.status === 'aborted' ? 'interrupted' : result.status;
  const pinning = result.repetitions.flatMap((r) =>
    r.status === 'ok'
      ? [
          {
            role: `${r.task}#${r.repetition}`,
            pid: r.pid,
            requested: bench.cpus,
            allowed: r.cpus,
            threads: r.threads.length,
            verified: r.pinned,
          },
        ]
      : [],
  );
  const closed = await closeRun(record, {
    status,
    warnings,
    gates: null,
    pinning,
    error: result.failedTasks.length ? `tasks failed: ${result.failedTasks.join(', ')}` : null,
  });
  if (closed.storeError) log(`headroom: ${closed.storeError.message}`);
  const tasks = summarizeBenchTasks(
    bench.tasks,
    result.repetitions.map((r) =>
      r.status === 'ok' ? { task: r.task, status: 'ok' as const, medianNs: r.medianNs } : { task: r.task, status: 'failed' as const },
    ),
  );
  const exitCode = status === 'interrupted' ? ExitCode.interrupted : status === 'failed' ? ExitCode.runFailed : ExitCode.ok;
  return {
    runId: record.id,
    bench: bench.name,
    status,
    exitCode,
    cpus: bench.cpus,
    isolation: bench.isolation,
    tasks,
    warnings,
    profilesDir,
  };
}
