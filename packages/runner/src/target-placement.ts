/**
 * Defaults that protect the measurement when there is no `service` block: if the target
 * listens on this host, the process holding its port is found through /proc
 * (/proc/net/tcp{,6} inode → /proc/<pid>/fd, see service/port-owner.ts), its CPUs are read
 * from every thread's Cpus_allowed_list, and workers whose CPUs the scenario left to the
 * default are moved off them. When it cannot tell (the process is not visible, or it may
 * run on every CPU) it says what to do instead of guessing.
 */
import { resolveAllowedCpus, type Scenario } from '@headroom/core';
import { pinnedTo, readThreadAffinity, unionCpus, type Pinning } from '@headroom/internal';
import { portListeners } from './service/port-owner.ts';
import { commandLine } from './service/proc-tree.ts';

/** A process holding the target's listening socket, and the CPUs its threads may use. */
export interface TargetProcess {
  pid: number;
  command: string | null;
  cpus: number[];
}

/** What was found about a local target, tagged by `status`. */
export type TargetPlacement =
  /** A service block, a remote host, or nothing listening (the run reports it unreachable): nothing to do. */
  | { status: 'skipped' }
  /** Found: the processes, the union of their CPUs, the workers' CPUs now, and the line the run prints. */
  | {
      status: 'found';
      processes: TargetProcess[];
      cpus: number[];
      workerCpus: number[];
      moved: boolean;
      note: string;
      warning: string | null;
    }
  /** Cannot tell: the warning says why and what to do. */
  | { status: 'unknown'; warning: string };

export interface PlaceWorkersOptions {
  /** The CPUs workers may move to. @default this process's affinity (core's allowedCpus) */
  cpus?: readonly number[];
  /** Shorthand for `cpus` 0 … cpuCount − 1. */
  cpuCount?: number;
}

const LOCAL_HOSTS = new Set(['localhost', '::1', '[::1]']);

/** Whether `target`'s host is this machine: localhost, ::1 or 127.0.0.0/8. */
export function isLocalTarget(target: string): boolean {
  const host = new URL(target).hostname;
  return LOCAL_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Looks for the target's process on this host and, where the scenario left workers.cpus
 * (and workers.count) to the default, returns the scenario with the workers on the other CPUs.
 */
export function placeWorkers(scenario: Scenario, options: PlaceWorkersOptions = {}): { scenario: Scenario; placement: TargetPlacement } {
  const skipped = { scenario, placement: { status: 'skipped' } as const };
  if (scenario.service !== null || !isLocalTarget(scenario.target)) return skipped;
  const url = new URL(scenario.target);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const { listening, pids } = portListeners(port);
  // Nothing listening is the run's to report (unreachable); a target inside headroom's own process (tests) has no CPUs of its own.
  if (!listening || (pids.length > 0 && pids.every((pid) => pid === process.pid))) return skipped;
  const workers = scenario.workers;
  const processes = pids
    .filter((pid) => pid !== process.pid)
    .map((pid) => ({ pid, command: commandLine(pid), cpus: unionCpus(readThreadAffinity(pid)) }))
    .filter((p) => p.cpus.length > 0);
  if (processes.length === 0) {
    return {
      scenario,
      placement: {
        status: 'unknown',
        warning: `cannot tell which CPUs the target on port ${port} runs on: the process listening there is not visible in /proc (another user, a container or namespace); workers use CPUs ${workers.cpus.join(',')}, which may be the target's. Pin the service (taskset -c <cpus> <command>) and set workers.cpus to other CPUs, or start it from a service block`,
      },
    };
  }
  const allowed = resolveAllowedCpus(options);
  const cpus = [...new Set(processes.flatMap((p) => p.cpus))].sort((a, b) => a - b);
  const who = processes.map((p) => `pid ${p.pid} (${short(p.command)})`).join(', ');
  const free = allowed.filter((c) => !cpus.includes(c));
  if (free.length === 0) {
    return {
      scenario,
      placement: {
        status: 'unknown',
        warning: `the target on port ${port}, ${who}, may run on every CPU (${cpus.join(',')}): workers on CPUs ${workers.cpus.join(',')} share them, and latency and throughput include the contention. Pin it (taskset -a -p -c <cpus> ${processes[0]?.pid}, or start it under taskset -c <cpus>) so workers default to the other CPUs, or start it from a service block`,
      },
    };
  }
  const auto = workers.auto ?? { cpus: false, count: false };
  const moved = auto.cpus && workers.cpus.some((c) => cpus.includes(c));
  const workerCpus = moved ? free : workers.cpus;
  const count = moved && auto.count ? Math.max(1, workerCpus.length) : workers.count;
  const shared = workerCpus.filter((c) => cpus.includes(c));
  const note = `target: ${who} on CPU${cpus.length === 1 ? '' : 's'} ${cpus.join(',')}; workers on CPU${workerCpus.length === 1 ? '' : 's'} ${workerCpus.join(',')}${moved ? ' (moved off the target by default)' : ''}`;
  const warning =
    shared.length > 0
      ? `workers.cpus ${workerCpus.join(',')} share CPU ${shared.join(',')} with the target (${who}): latency and throughput include the contention; leave workers.cpus out to place them away from it`
      : null;
  return {
    scenario: moved ? { ...scenario, workers: { ...workers, cpus: workerCpus, count } } : scenario,
    placement: { status: 'found', processes, cpus, workerCpus, moved, note, warning },
  };
}

/**
 * The target's processes as pinnings stored with the run (roles `target`, `target-2` …). Nothing
 * was requested of them: `requested` is what they were found on, and `verified` says every
 * thread had the same set.
 */
export function targetPinnings(placement: TargetPlacement): Pinning[] {
  if (placement.status !== 'found') return [];
  return placement.processes.map((p, i) => {
    const threads = readThreadAffinity(p.pid);
    return {
      role: i === 0 ? 'target' : `target-${i + 1}`,
      pid: p.pid,
      requested: p.cpus,
      allowed: p.cpus,
      threads: threads.length,
      verified: pinnedTo(threads, p.cpus),
    };
  });
}

/** A command line short enough for one line of output. */
function short(command: string | null): string {
  if (command === null) return 'command not readable';
  return command.length > 60 ? `${command.slice(0, 57)}...` : command;
}
