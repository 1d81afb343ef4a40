/**
 * The service's supervisor: a small process between headroom and the service under test.
 * headroom starts it in a process group of its own; it starts the service in that group and
 * remembers every process descending from it (each half second from /proc), so that the
 * service and everything it started stop when the run ends, when the service dies, and when
 * headroom itself is gone (its IPC channel closes: kill -9, a crash), even children that
 * left the group or the session. Started as `node supervisor-main.ts <argv...>`.
 */
import { spawn } from 'node:child_process';
import { descendantsOf, stillRunning, type ProcStat } from './proc-tree.ts';
import type { SupervisorMessage, SupervisorToService } from './supervisor-protocol.ts';

/** Grace after SIGTERM when headroom vanished without asking for a stop. */
const ORPHAN_GRACE_MS = 2000;
const SCAN_MS = 500;

const [cmd, ...args] = process.argv.slice(2);
if (!cmd || !process.send) {
  process.stderr.write('headroom service supervisor: started by the runner with the service command\n');
  process.exit(2);
}
const send = (m: SupervisorMessage): void => {
  if (process.connected) process.send!(m);
};
// SIGTERM to the group reaches this process too: the supervisor outlives the service to clean up after it.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});

const known = new Map<number, ProcStat>();
const scan = (): void => {
  for (const p of descendantsOf(process.pid)) known.set(p.pid, p);
};

const child = spawn(cmd, args, { stdio: 'inherit' });
let stopping = false;
child.on('error', (err) => {
  send({ type: 'spawn-error', message: err.message });
  finish(127);
});
child.on('spawn', () => {
  send({ type: 'started', pid: child.pid ?? -1 });
  scan();
});
const scanner = setInterval(scan, SCAN_MS);

child.on('exit', (code, signal) => {
  send({ type: 'exit', code, signal });
  finish(code ?? 1);
});

process.on('message', (m: SupervisorToService) => {
  if (m.type === 'stop') stop(m.graceMs);
});
// headroom is gone (kill -9, crash): stop the service as at the end of a run.
process.on('disconnect', () => stop(ORPHAN_GRACE_MS));

function signalAll(sig: NodeJS.Signals): void {
  scan();
  for (const p of known.values()) {
    if (!stillRunning(p)) {
      known.delete(p.pid);
      continue;
    }
    try {
      process.kill(p.pid, sig);
    } catch {
      /* gone meanwhile */
    }
  }
}

function stop(graceMs: number): void {
  if (stopping) return;
  stopping = true;
  signalAll('SIGTERM');
  setTimeout(() => finish(1), graceMs).unref();
}

/** Kills whatever is left of the service's tree and exits. */
function finish(code: number): void {
  clearInterval(scanner);
  signalAll('SIGKILL');
  // Let the last IPC message leave before exiting.
  setImmediate(() => process.exit(code));
}
