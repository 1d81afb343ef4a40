/**
 * Steal time: how long a virtual CPU of ours was ready to run while the hypervisor ran
 * something else (another guest, its own work). Linux counts it per CPU in the 8th column of
 * /proc/stat (proc(5): user nice system idle iowait irq softirq steal, in USER_HZ ticks), from
 * the paravirtual steal clock KVM, Xen and Hyper-V guests expose; it stays 0 on bare metal.
 *
 * On a shared cloud VM it is in every figure measured while it happens: a service whose vCPU
 * was taken for 5 ms answers 5 ms later, and a generator whose vCPU was taken reads the
 * response 5 ms later. Neither is the service's doing, so the run measures it on the
 * service's and the generator's CPUs, per phase and per second, beside the latencies.
 */
import { readFileSync } from 'node:fs';
import { median } from '@headroom/analysis';
import { everySecond, type SecondClock } from './second-clock.ts';

/** A CPU set's cumulative /proc/stat times, summed over its CPUs (USER_HZ ticks). */
export interface CpuTimes {
  steal: number;
  /** Every column that adds up to wall time (user through steal; guest time is inside user). */
  total: number;
}

/** Cumulative times of the service's and the generator's CPU sets at one moment. */
export interface StealReading {
  /** null without a service pinned by the run. */
  service: CpuTimes | null;
  generator: CpuTimes | null;
}

/** Steal over an interval as a share of the CPU set's time (0..1); null where not measured. */
export interface StealShare {
  service: number | null;
  generator: number | null;
}

/** Above this share of a phase on either CPU set, the run warns that the host took part of the measurement. */
export const STEAL_WARN_SHARE = 0.05;

/** The summed times of `cpus` in a /proc/stat text; null when a CPU of the set has no line (offline, or not Linux). */
export function cpuTimes(procStat: string, cpus: readonly number[]): CpuTimes | null {
  if (cpus.length === 0) return null;
  const want = new Set(cpus);
  const sum: CpuTimes = { steal: 0, total: 0 };
  let found = 0;
  for (const line of procStat.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m || !want.has(Number(m[1]))) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 8 || f.some((v) => !Number.isFinite(v))) return null;
    for (let i = 0; i < 8; i++) sum.total += f[i]!;
    sum.steal += f[7]!;
    found++;
  }
  return found === want.size ? sum : null;
}

/** Reads both CPU sets from one /proc/stat read; null when /proc/stat cannot be read. */
export function readSteal(serviceCpus: readonly number[] | null, generatorCpus: readonly number[]): StealReading | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  return { service: serviceCpus === null ? null : cpuTimes(text, serviceCpus), generator: cpuTimes(text, generatorCpus) };
}

/** Steal between two readings, per CPU set (null where either reading lacks it or no time passed). */
export function stealBetween(a: StealReading, b: StealReading): StealShare {
  const share = (x: CpuTimes | null, y: CpuTimes | null): number | null => {
    if (x === null || y === null) return null;
    const total = y.total - x.total;
    return total > 0 ? Math.min(1, Math.max(0, (y.steal - x.steal) / total)) : null;
  };
  return { service: share(a.service, b.service), generator: share(a.generator, b.generator) };
}

/** One second of a phase: the host's steal (the larger side's share, null when not measured) and the second's p99. */
export interface StolenSecond {
  steal: number | null;
  p99Ms: number | null;
}

/** A share as the steal messages print it: `12.3%`, or `-` where not measured. */
export function formatShare(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`;
}
const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * A warning when the host took more than STEAL_WARN_SHARE of either CPU set over `phase`, or in
 * any of its seconds; null otherwise. Steal comes in bursts: a phase that lost 3% overall may
 * have lost 20% in three of its seconds, and those seconds hold its tail. So the warning gives
 * the seconds it hit and their p99 beside the others'.
 */
export function stealWarning(phase: string, s: StealShare, seconds: readonly StolenSecond[] = []): string | null {
  const sides: string[] = [];
  if (s.generator !== null && s.generator > STEAL_WARN_SHARE) sides.push(`${formatShare(s.generator)} of the generator's CPUs`);
  if (s.service !== null && s.service > STEAL_WARN_SHARE) sides.push(`${formatShare(s.service)} of the service's CPUs`);
  const hit = seconds.filter((x) => x.steal !== null && x.steal > STEAL_WARN_SHARE);
  if (sides.length === 0 && hit.length === 0) return null;
  const over = sides.length > 0 ? `the hypervisor took ${sides.join(' and ')} (steal time)` : null;
  let bursts: string | null = null;
  if (hit.length > 0) {
    const worst = Math.max(...hit.map((x) => x.steal as number));
    const calm = seconds.filter((x) => x.steal !== null && x.steal <= STEAL_WARN_SHARE && x.p99Ms !== null).map((x) => x.p99Ms as number);
    const hitP99 = hit.flatMap((x) => (x.p99Ms === null ? [] : [x.p99Ms]));
    const tail =
      hitP99.length === 0
        ? ''
        : calm.length === 0
          ? `; their p99 was up to ${ms(Math.max(...hitP99))}ms`
          : `; their p99 was up to ${ms(Math.max(...hitP99))}ms against a median of ${ms(median(calm))}ms in the others`;
    bursts = `${over === null ? 'the hypervisor took' : 'it took'} more than ${formatShare(STEAL_WARN_SHARE)} of the generator's or the service's CPUs in ${hit.length} of its ${seconds.length} seconds (up to ${formatShare(worst)})${tail}`;
  }
  return (
    `${phase}: ${[over, bursts].filter((x) => x !== null).join('; ')}. Latencies and CPU figures include pauses that are the host's, ` +
    `not the service's: compare such runs with care, or measure on a dedicated or quieter host`
  );
}

/** One second's steal, per CPU set. */
export interface StealSample extends StealShare {
  /** Seconds since the run's start (the series' second). */
  second: number;
}

/**
 * Reads steal on the run's second boundaries and keeps the latest reading, so phases can be
 * charged between any two moments, like the service's /proc sampler.
 */
export class StealSampler {
  readonly #read: () => StealReading | null;
  #prev: StealReading | null = null;
  readonly #clock: SecondClock;

  constructor(o: {
    serviceCpus: readonly number[] | null;
    generatorCpus: readonly number[];
    startAt: number;
    onSample(s: StealSample): void;
    /** The reader (tests). @default /proc/stat */
    read?: () => StealReading | null;
  }) {
    this.#read = o.read ?? (() => readSteal(o.serviceCpus, o.generatorCpus));
    this.#clock = everySecond(o.startAt, (second) => {
      const now = this.#read();
      if (now && this.#prev) o.onSample({ second: second - 1, ...stealBetween(this.#prev, now) });
      this.#prev = now;
      return now !== null;
    });
  }

  /** The cumulative reading now. */
  read(): StealReading | null {
    return this.#read();
  }

  /** The reading taken at the latest second boundary (no read of its own). */
  latest(): StealReading | null {
    return this.#prev;
  }

  stop(): void {
    this.#clock.stop();
  }
}
