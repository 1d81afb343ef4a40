import { spawn, type ChildProcess } from 'node:child_process';
import type { RunnerToWorker, WorkerPlan, WorkerToRunner } from '@headroom/internal';
import { pinned } from '@headroom/internal';

/** The CPU set of worker `i` of `count` over `cpus`: one CPU each when there are enough, else shared round-robin. */
export function workerCpus(cpus: number[], count: number, i: number): number[] {
  if (count <= cpus.length) return cpus.filter((_, j) => j % count === i);
  return [cpus[i % cpus.length] as number];
}

export interface WorkerPoolOptions {
  entry: string;
  /** Node flags for the worker (the load package's WORKER_NODE_ARGS). @default [] */
  nodeArgs?: readonly string[];
  plans: WorkerPlan[];
  cpus: number[];
  onMessage(msg: WorkerToRunner): void;
  /** A worker exited without sending `done`. */
  onCrash(worker: number, code: number | null, signal: NodeJS.Signals | null): void;
}

/** Load worker processes, each pinned with all its threads, speaking the core protocol over IPC. */
export class WorkerPool {
  readonly procs: { index: number; child: ChildProcess; cpus: number[] }[] = [];
  private readonly finished = new Set<number>();
  readonly exited: Promise<void>;

  constructor(options: WorkerPoolOptions) {
    const exits: Promise<void>[] = [];
    for (const plan of options.plans) {
      const cpus = workerCpus(options.cpus, options.plans.length, plan.index);
      const argv = pinned(cpus, [process.execPath, ...(options.nodeArgs ?? []), options.entry]);
      const child = spawn(argv[0] as string, argv.slice(1), {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        // Own process group: a terminal's Ctrl-C reaches headroom, which stops workers in order; they exit when the IPC channel closes.
        detached: true,
      });
      child.on('message', (m) => {
        const msg = m as WorkerToRunner;
        if (msg.type === 'done') this.finished.add(plan.index);
        options.onMessage(msg);
      });
      exits.push(
        new Promise((resolve) =>
          // 'close', not 'exit': it waits for the IPC channel to drain, so a `done` sent just before exiting is read first.
          child.on('close', (code, signal) => {
            if (!this.finished.has(plan.index)) options.onCrash(plan.index, code, signal);
            resolve();
          }),
        ),
      );
      this.procs.push({ index: plan.index, child, cpus });
    }
    this.exited = Promise.all(exits).then(() => undefined);
  }

  /** Sends each worker its plan. */
  start(plans: WorkerPlan[]): void {
    for (const p of this.procs) this.send(p.child, { type: 'start', plan: plans[p.index] as WorkerPlan });
  }

  /** Asks every worker to stop now and report what it measured. */
  stop(reason: string): void {
    for (const p of this.procs) this.send(p.child, { type: 'stop', reason });
  }

  /** Asks every worker to end `phase` early (a breakpoint search's stop): see RunnerToWorker 'end-phase'. */
  endPhase(phase: string): void {
    for (const p of this.procs) this.send(p.child, { type: 'end-phase', phase });
  }

  /** Last resort: workers that did not exit after stop. */
  kill(): void {
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }

  private send(child: ChildProcess, msg: RunnerToWorker): void {
    // The callback takes a write error (the worker already gone), which the 'close' handler reports.
    if (child.connected) child.send(msg, () => {});
  }
}
