/**
 * Entry of a load worker process. The runner spawns it under taskset with an IPC
 * channel (serialization 'advanced'), sends `start`, and may send `stop`. The worker
 * exits as soon as the channel closes, so a dead runner leaves no orphans.
 */
import type { RunnerToWorker, WorkerToRunner } from '@headroom/internal';
import { TooManyNamesError } from './name-table.ts';
import { runWorker } from './worker.ts';
import type { WorkerHandle } from './worker.ts';

let handle: WorkerHandle | null = null;
let worker = -1;

let pending = 0;
let exitCode: number | null = null;
const send = (m: WorkerToRunner): void => {
  if (!process.connected) return;
  pending++;
  process.send!(m, () => {
    pending--;
    if (exitCode !== null && pending === 0) process.exit(exitCode);
  });
};

let stopping = false;
const fatal = (err: unknown): void => {
  // A limit the scenario ran into (too many request names): said without a stack, and the worker
  // stops in order, so the phases it measured so far reach the runner and are kept.
  if (err instanceof TooManyNamesError) {
    if (stopping) return;
    stopping = true;
    send({ type: 'fatal', worker, message: err.message });
    if (handle !== null) {
      handle.stop(err.message);
      return;
    }
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (process.connected) process.send!({ type: 'fatal', worker, message } satisfies WorkerToRunner, () => process.exit(1));
  else process.exit(1);
};

if (!process.send) {
  process.stderr.write('headroom load worker: run me through the runner (needs an IPC channel)\n');
  process.exit(1);
}

process.on('disconnect', () => process.exit(0));
// Belt and braces for a runner killed hard: if the channel's close is missed, a new parent (init or a subreaper) is.
const runnerPid = process.ppid;
setInterval(() => {
  if (process.ppid !== runnerPid) process.exit(0);
}, 500).unref();
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

process.on('message', (m: RunnerToWorker) => {
  if (m.type === 'start' && handle === null) {
    worker = m.plan.index;
    send({ type: 'ready', worker, pid: process.pid });
    handle = runWorker(m.plan, send);
    void handle.done.then(() => exitWhenFlushed(0));
  } else if (m.type === 'stop') {
    if (handle === null) {
      send({ type: 'done', worker });
      exitWhenFlushed(0);
    } else handle.stop(m.reason);
  } else if (m.type === 'end-phase') handle?.endPhase(m.phase);
});

/** Exits once every queued IPC message has been handed to the runner. */
function exitWhenFlushed(code: number): void {
  exitCode = code;
  if (!process.connected || pending === 0) process.exit(code);
}
