/**
 * The CPUs this process may run on: its affinity, which a container's cpuset (Kubernetes'
 * static CPU manager, docker --cpuset-cpus) or a `taskset` around headroom narrows, and which
 * need not start at CPU 0. Defaults and checks of CPU sets use it, so that headroom pins
 * nothing to a CPU it may not use (in a cgroup cpuset that fails; under taskset it would leave
 * the CPUs it was given).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Parses a kernel CPU list (`0-3,8,10-11`, as in Cpus_allowed_list and cpuset.cpus) into sorted CPU numbers. */
export function parseCpuList(list: string): number[] {
  const out = new Set<number>();
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [lo, hi = lo] = part.split('-').map(Number) as [number, number?];
    for (let c = lo; c <= (hi as number); c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}

/** A CPU set written the kernel's way (`0-3,8`): runs of three or more as ranges. */
export function formatCpuList(cpus: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cpus.length;) {
    let j = i;
    while (j + 1 < cpus.length && (cpus[j + 1] as number) === (cpus[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${cpus[i]}-${cpus[j]}` : cpus.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * This process's allowed CPUs, from /proc/self/status (Linux); elsewhere, or when it cannot be
 * read, CPUs 0 … availableParallelism() − 1.
 */
export function allowedCpus(): number[] {
  try {
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const cpus = line === undefined ? [] : parseCpuList(line);
    if (cpus.length > 0) return cpus;
  } catch {
    // not Linux, or /proc not mounted: fall through
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

/** The CPU set validation checks against: `cpus` as given, else CPUs 0 … cpuCount − 1, else this process's own. */
export function resolveAllowedCpus(options: { cpus?: readonly number[]; cpuCount?: number }): readonly number[] {
  if (options.cpus !== undefined) return options.cpus;
  if (options.cpuCount !== undefined) return Array.from({ length: options.cpuCount }, (_, i) => i);
  return allowedCpus();
}
