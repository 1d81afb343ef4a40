/**
 * The service's supervisor: a small process between headroom and the service under test.
 * headroom starts it in a process group of its own; it starts the service in that group and
 * remembers every process descending from it (each half second from /proc), so that the
 * service and everything it started stop when the run ends, when the service dies, and when
 * headroom itself is gone (its IPC channel closes: kill -9, a crash), even children that
 * left the group or the session. Started as `node supervisor-main.ts <argv...>`.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
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
let pending = 0;
let exitCode: number | null = null;
const send = (m: SupervisorMessage): void => {
  if (!process.connected) return;
  pending++;
  process.send!(m, () => {
    pending--;
    if (exitCode !== null && pending === 0) process.exit(exitCode);
  });
};
// SIGTERM to the group reaches this process too: the supervisor outlives the service to clean up after it.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});

// Under the perf profiler (NODE_OPTIONS has --perf-basic-prof) every node process here writes
// /tmp/perf-<pid>.map. This supervisor's own is of no use: removed now (V8 keeps writing to the
// unlinked file). The service's are read by perf script before headroom stops the service, and
// removed when it is stopped, also when headroom was killed and could not.
const perfMaps = /--perf-(basic-)?prof\b/.test(process.env['NODE_OPTIONS'] ?? '');
const removePerfMap = (pid: number): void => {
  if (perfMaps && pid > 0) rmSync(`/tmp/perf-${pid}.map`, { force: true });
};
removePerfMap(process.pid);

const known = new Map<number, ProcStat>();
/** Every pid the service's tree ever had, for their perf maps. */
const everSeen = new Set<number>();
const scan = (): void => {
  for (const p of descendantsOf(process.pid)) {
    known.set(p.pid, p);
    if (perfMaps) everSeen.add(p.pid);
  }
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
  // Only on a stop (asked by headroom after perf script read the maps, or headroom gone): after a
  // crash headroom has yet to read them, and removes the ones its samples used.
  if (stopping) for (const pid of [child.pid ?? -1, ...everSeen]) removePerfMap(pid);
  // The last IPC message (the service's exit) leaves before this process exits.
  exitCode = code;
  if (!process.connected || pending === 0) setImmediate(() => process.exit(code));
}
