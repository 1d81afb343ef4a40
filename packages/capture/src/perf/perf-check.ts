/**
 * Whether Linux perf can profile the service, found out before the service starts or any
 * load is sent: the binary runs, the kernel lets this user open perf events
 * (`kernel.perf_event_paranoid`, or root), and which event samples CPU time here. Hardware
 * cycles are the usual event, but KVM and most cloud guests expose no PMU (`perf stat -e
 * cycles` says `<not supported>`); the cpu-clock software event (a high-resolution timer)
 * samples CPU time everywhere, so it is used then.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HeadroomError } from '@headroom/core';

/** What a perf recording needs to know about this host. */
export interface PerfSetup {
  /** The perf command (found on PATH). */
  perf: string;
  /** `cycles` when the CPU's counters are available, else `cpu-clock`. */
  event: 'cycles' | 'cpu-clock';
  /** perf's version line. */
  version: string;
  /** False when only user-space frames can be seen (perf_event_paranoid 2 and not root). */
  kernelFrames: boolean;
}

/** Options for {@link checkPerf}. */
export interface CheckPerfOptions {
  /** Environment to find perf in (its PATH). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The perf command. @default 'perf' */
  perf?: string;
}

const FIX_INSTALL = 'install it (Debian: `apt-get install linux-perf`; Ubuntu: `apt-get install linux-tools-$(uname -r)`)';

/** Checks that perf can sample a process of this user; throws E_PERF_UNAVAILABLE with the fix otherwise. */
export function checkPerf(options: CheckPerfOptions = {}): PerfSetup {
  const env = options.env ?? process.env;
  const perf = options.perf ?? 'perf';
  const fail = (why: string) =>
    new HeadroomError(
      'E_PERF_UNAVAILABLE',
      `service.capture.cpu.profiler 'perf': ${why}; or use the in-process profiler (drop profiler: 'perf')`,
    );
  const v = spawnSync(perf, ['--version'], { env, encoding: 'utf8', timeout: 10_000 });
  if (v.error || v.status !== 0) {
    const reason =
      (v.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'not found on PATH' : (v.stderr || v.error?.message || '').trim();
    throw fail(`Linux perf ${reason ? `does not run (${reason.split('\n')[0]})` : 'does not run'}: ${FIX_INSTALL}`);
  }
  const root = process.getuid?.() === 0;
  const paranoid = readParanoid();
  if (!root && paranoid !== null && paranoid > 2)
    throw fail(
      `kernel.perf_event_paranoid is ${paranoid}, which lets only root use perf: run \`sysctl kernel.perf_event_paranoid=2\` (user-space frames) or \`=1\` (kernel frames too), or run headroom as root`,
    );
  const event = supports(perf, 'cycles', env) ? 'cycles' : 'cpu-clock';
  if (event === 'cpu-clock' && !supports(perf, 'cpu-clock', env)) {
    const r = spawnSync(perf, ['stat', '-x,', '-e', 'cpu-clock', 'true'], { env, encoding: 'utf8', timeout: 10_000 });
    throw fail(
      `perf cannot count events here (${(r.stderr || '').trim().split('\n')[0] ?? ''}): allow it with \`sysctl kernel.perf_event_paranoid=1\`, or run headroom as root (a container also needs CAP_PERFMON or --privileged)`,
    );
  }
  return { perf, event, version: v.stdout.trim(), kernelFrames: root || (paranoid !== null && paranoid <= 1) };
}

/** `kernel.perf_event_paranoid`, or null when it cannot be read. */
function readParanoid(): number | null {
  try {
    return Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
  } catch {
    return null;
  }
}

/** True when `perf stat -e <event> true` counted the event (not `<not supported>`, not refused). */
function supports(perf: string, event: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(perf, ['stat', '-x,', '-e', event, 'true'], { env, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return false;
  const line = r.stderr.split('\n').find((l) => l.includes(event)) ?? '';
  return line !== '' && !line.includes('<not supported>') && !line.includes('<not counted>');
}
