/** The host line every benchmark prints first, so figures can be compared across hosts (issue 17 item 5). */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { readSteal, stealBetween } from '../../packages/runner/src/host-steal.ts';

/** CPU model (with family/model where /proc/cpuinfo has them), cores, kernel, Node version, date. */
export function hostLine(): string {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const fam = /^cpu family\s*:\s*(\d+)/m.exec(info)?.[1];
    const mod = /^model\s*:\s*(\d+)/m.exec(info)?.[1];
    if (fam !== undefined && mod !== undefined) model += ` (family ${fam} model ${mod})`;
  } catch {
    /* not Linux: the model name alone */
  }
  return `host: ${model}, ${os.cpus().length} cores, ${os.type()} ${os.release()}, Node ${process.version}, ${new Date().toISOString()}`;
}

/** Prints the host line. */
export function printHost(): void {
  process.stdout.write(`${hostLine()}\n`);
}

/** The host's steal (hypervisor time taken from this VM) on CPU 0 (the service's) and CPU 1 (the generators'), as shares. */
export interface BenchSteal {
  service: number;
  generator: number;
}

/**
 * Runs `fn` and measures the steal on CPUs 0 and 1 while it ran (the runner's /proc/stat reading,
 * packages/runner/src/host-steal.ts): a figure taken while the host took 10% of a CPU is the
 * host's as much as the code's, so benchmarks print it beside their figures.
 */
export async function withSteal<T>(fn: () => Promise<T>): Promise<{ value: T; steal: BenchSteal }> {
  const a = readSteal([0], [1]);
  const value = await fn();
  const b = readSteal([0], [1]);
  const s = a && b ? stealBetween(a, b) : { service: null, generator: null };
  return { value, steal: { service: s.service ?? 0, generator: s.generator ?? 0 } };
}

/** A steal pair as `1.2/0.3%` (generator/service). */
export function stealCell(s: BenchSteal): string {
  return `${(100 * s.generator).toFixed(1)}/${(100 * s.service).toFixed(1)}%`;
}
