/**
 * Entry of a bench worker process (process isolation), started by the orchestrator as
 * `taskset -c <cpus> node process-worker.ts`. Measures exactly one task repetition, then exits;
 * sooner if the orchestrator is gone (parent-watch.ts).
 */
import type { BenchWorkerToParent, ParentToBenchWorker } from './protocol.ts';
import { measure } from './measure.ts';
import { exitWithParent } from './parent-watch.ts';

function send(msg: BenchWorkerToParent): void {
  process.send?.(msg);
}

process.on('message', (msg: ParentToBenchWorker) => {
  if (msg.type === 'run') {
    void measure(msg.job).then((measurement) => send({ type: 'result', measurement }));
  } else {
    // 'release' or 'exit': the orchestrator has read our threads' affinity; leave now, even if
    // the bench file left timers or sockets open. process.exit still writes --cpu-prof output.
    process.exit(0);
  }
});
exitWithParent();
send({ type: 'ready', pid: process.pid });
