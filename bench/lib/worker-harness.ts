/**
 * Drives load workers exactly as the runner does: spawn WORKER_ENTRY under taskset with
 * an IPC channel (serialization 'advanced'), send `start`, collect messages until `done`.
 * (Adds the bench's nice prefix, see pin.ts; the pid reported is that of the wrapper chain,
 * which execs into node, so it is the worker's own pid.)
 */
import { spawn } from 'node:child_process';
import { createHistogram, mergeEncoded } from '@headroom/internal';
import type { Histogram, WorkerPhaseEnd, WorkerPlan, WorkerTick, WorkerToRunner } from '@headroom/internal';
import { WORKER_ENTRY, WORKER_NODE_ARGS } from '@headroom/load';
import { pinned } from './pin.ts';

export interface HarnessResult {
  ticks: WorkerTick[];
  phaseEnds: WorkerPhaseEnd[];
  warnings: string[];
  traces: number;
  fatal: string | null;
  exitCode: number | null;
  /** Merged corrected / service histograms per phase name (from phase-end messages). */
  hist: Map<string, { hist: Histogram; serviceHist: Histogram; end: WorkerPhaseEnd }>;
}

export interface HarnessOptions {
  /** CPUs for taskset; null runs unpinned. */
  cpus: number[] | null;
  /** Called with each worker's pid once spawned (e.g. to sample its RSS). */
  onSpawn?: (pid: number) => void;
  /** Extra node flags, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** Leave out WORKER_NODE_ARGS (to measure what they change). @default false */
  bareNode?: boolean;
  /** Node flags instead of WORKER_NODE_ARGS. */
  workerNodeArgs?: readonly string[];
  /** Worker entry file instead of this checkout's WORKER_ENTRY (e.g. another checkout's, for before/after). */
  entry?: string;
}

export function runPlans(plans: WorkerPlan[], o: HarnessOptions): Promise<HarnessResult> {
  const res: HarnessResult = { ticks: [], phaseEnds: [], warnings: [], traces: 0, fatal: null, exitCode: 0, hist: new Map() };
  return Promise.all(plans.map((plan) => runOne(plan, o, res))).then(() => {
    for (const e of res.phaseEnds) {
      const h = res.hist.get(e.phase) ?? { hist: createHistogram(), serviceHist: createHistogram(), end: e };
      mergeEncoded(h.hist, e.hist);
      mergeEncoded(h.serviceHist, e.serviceHist);
      res.hist.set(e.phase, h);
    }
    return res;
  });
}

function runOne(plan: WorkerPlan, o: HarnessOptions, res: HarnessResult): Promise<void> {
  const node = process.execPath;
  const argv = [...(o.bareNode ? [] : (o.workerNodeArgs ?? WORKER_NODE_ARGS)), ...(o.nodeArgs ?? []), o.entry ?? WORKER_ENTRY];
  const [cmd, args] = o.cpus === null ? [node, argv] : pinned(o.cpus, [node, ...argv]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  if (child.pid !== undefined) o.onSpawn?.(child.pid);
  child.on('message', (m: WorkerToRunner) => {
    if (m.type === 'tick') res.ticks.push(m);
    else if (m.type === 'phase-end') res.phaseEnds.push(m);
    else if (m.type === 'warning') res.warnings.push(m.message);
    else if (m.type === 'traces') res.traces += m.samples.length;
    else if (m.type === 'fatal') res.fatal = m.message;
  });
  child.send({ type: 'start', plan });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      if (code !== 0) res.exitCode = code;
      resolve();
    });
  });
}
