/**
 * Command prefix for a benchmark process: pinned with taskset, and with a raised CPU
 * priority (nice −15, applied to every peer alike) so other tenants of a shared box
 * disturb the measurement less. Set HEADROOM_BENCH_NICE=0 to run at normal priority.
 */
export const NICE = Number(process.env['HEADROOM_BENCH_NICE'] ?? '-15');

export function pinned(cpus: number[], argv: string[]): [string, string[]] {
  const tail = ['taskset', '-c', cpus.join(','), ...argv];
  return NICE === 0 ? [tail[0]!, tail.slice(1)] : ['nice', ['-n', String(NICE), ...tail]];
}
