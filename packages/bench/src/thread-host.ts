/**
 * Entry of the pinned host process of thread isolation (`taskset -c <cpus> node thread-host.ts`).
 * Each repetition runs in a fresh piscina worker thread (a new pool of one thread), which
 * inherits the host's CPU affinity. The pool stays alive until the orchestrator has read the
 * affinity of every thread and sends 'release'.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { exitWithParent } from './parent-watch.ts';
import type { BenchWorkerToParent, ParentToBenchWorker } from './protocol.ts';

const TASK_FILE = fileURLToPath(new URL('./thread-task.ts', import.meta.url));
let pool: Piscina | undefined;
/** The previous repetition's pool teardown: a new thread starts only after the old one is gone. */
let destroying: Promise<void> = Promise.resolve();

function send(msg: BenchWorkerToParent): void {
  process.send?.(msg);
}

process.on('message', (msg: ParentToBenchWorker) => {
  if (msg.type === 'run') {
    const job = msg.job;
    void destroying
      .then(() => {
        pool = new Piscina({ filename: TASK_FILE, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 });
        return pool.run(job);
      })
      .then(
        (measurement) => send({ type: 'result', measurement }),
        (e: unknown) =>
          send({ type: 'result', measurement: { status: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } }),
      );
  } else if (msg.type === 'release') {
    const p = pool;
    pool = undefined;
    destroying = p ? p.destroy() : Promise.resolve();
  } else {
    void destroying.then(() => pool?.destroy()).finally(() => process.exit(0));
  }
});
// The measuring thread cannot take the process down with it; this main thread, idle while it measures, does.
exitWithParent();
send({ type: 'ready', pid: process.pid });
