/**
 * One pinned bench worker process seen from the orchestrator: spawned under `taskset`,
 * spoken to over IPC, its threads' CPU affinity read from /proc at ready and after each run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { RunFailedError } from '@headroom/core';
import { mergeAffinity, readThreadAffinity, type ThreadAffinity } from '@headroom/internal';
import type { BenchWorkerToParent, Measurement, MeasureJob, ParentToBenchWorker } from './protocol.ts';

export interface StartBenchWorkerOptions {
  /** The worker entry module (process-worker.ts or thread-host.ts). */
  entry: string;
  cpus: readonly number[];
}

export interface RunOutcome {
  measurement: Measurement;
  /** Every thread seen at ready and at the end of the run, with its allowed CPUs. */
  threads: ThreadAffinity[];
}

const STDERR_TAIL = 4000;

/** A started worker. Call release()/exit() when done, kill() to abort. */
export class BenchWorkerProcess {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly atReady: ThreadAffinity[];
  private stderr = '';
  private pending: ((m: Measurement) => void) | undefined;

  private constructor(child: ChildProcess, pid: number) {
    this.child = child;
    this.pid = pid;
    this.atReady = readThreadAffinity(pid);
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_TAIL);
    });
    child.on('message', (msg: BenchWorkerToParent) => {
      if (msg.type === 'result') this.settle(msg.measurement);
    });
    this.exited = new Promise((resolve) => {
      // 'close' waits for the IPC channel to drain, so a result sent just before exiting is read first.
      child.once('close', (code, signal) => {
        this.settle({
          status: 'failed',
          error: `bench worker ${pid} exited (${signal ?? `code ${code}`}) before reporting a result${this.stderr ? `; stderr:\n${this.stderr}` : ''}`,
        });
        resolve({ code, signal });
      });
    });
  }

  /** Spawns `taskset -c <cpus> node <entry>` and waits for its ready message. */
  static start(options: StartBenchWorkerOptions): Promise<BenchWorkerProcess> {
    const args = ['-c', options.cpus.join(','), process.execPath, options.entry];
    const child = spawn('taskset', args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    return new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const onExit = (code: number | null) =>
        reject(
          new RunFailedError(
            'E_BENCH_WORKER',
            `bench worker exited with code ${code} before it was ready: ${stderr.trim() || 'no output'}`,
          ),
        );
      child.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          e.code === 'ENOENT'
            ? new RunFailedError('E_TASKSET', 'taskset was not found; install util-linux (Debian: apt-get install util-linux)', {
                cause: e,
              })
            : new RunFailedError('E_BENCH_WORKER', `could not start a bench worker: ${e.message}`, { cause: e }),
        );
      });
      child.once('exit', onExit);
      child.once('message', (msg: BenchWorkerToParent) => {
        if (msg.type !== 'ready') return;
        child.off('exit', onExit);
        resolve(new BenchWorkerProcess(child, msg.pid));
      });
    });
  }

  /** Runs one measurement; a crash of the worker comes back as a failed measurement. */
  run(job: MeasureJob): Promise<RunOutcome> {
    return new Promise((resolve) => {
      this.pending = (measurement) => resolve({ measurement, threads: mergeAffinity(this.atReady, readThreadAffinity(this.pid)) });
      this.send({ type: 'run', job });
    });
  }

  /** After a result: process isolation exits, thread isolation tears down the worker thread. */
  release(): void {
    this.send({ type: 'release' });
  }

  exit(): void {
    this.send({ type: 'exit' });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private send(msg: ParentToBenchWorker): void {
    // The callback takes a write error (the worker already gone), which the 'close' handler reports.
    if (this.child.connected) this.child.send(msg, () => {});
  }

  private settle(m: Measurement): void {
    const p = this.pending;
    this.pending = undefined;
    p?.(m);
  }
}
