import { readProcTree, type ProcTreeReading } from './proc-tree.ts';
import { everySecond, type SecondClock } from './second-clock.ts';

/** One second of the service's resource use, from /proc (no agent). */
export interface ProcSample {
  /** Seconds since the run's start (the series' second). */
  second: number;
  /** user + system CPU of the whole process tree as a share of its CPU set (1 = every CPU of the set busy). */
  cpu: number;
  rssMb: number;
  threads: number;
  /** Context switches during the second: the tree gave up the CPU (waiting on I/O or a lock) / was preempted. */
  voluntarySwitches: number;
  involuntarySwitches: number;
  processes: number;
}

/** Options of {@link ProcSampler}. */
export interface ProcSamplerOptions {
  /** The service's pid: the root of the tree. */
  pid: number;
  /** Size of the service's CPU set. */
  cpuCount: number;
  /** Epoch ms of the run's second 0; samples are taken on its second boundaries. */
  startAt: number;
  onSample(sample: ProcSample): void;
}

/**
 * Samples the service's process tree every second, on the run's second boundaries, and keeps
 * the latest reading so the runner can charge CPU time to phases between any two moments.
 */
export class ProcSampler {
  readonly #o: ProcSamplerOptions;
  #prev: ProcTreeReading | null = null;
  readonly #clock: SecondClock;

  constructor(options: ProcSamplerOptions) {
    this.#o = options;
    this.#clock = everySecond(options.startAt, (second) => this.#tick(second));
  }

  /** The tree's counters now (cumulative), or null when the service is gone. */
  read(): ProcTreeReading | null {
    return readProcTree(this.#o.pid);
  }

  /** The reading taken at the latest second boundary (no read of its own), or null before the first. */
  latest(): ProcTreeReading | null {
    return this.#prev;
  }

  /** Samples second `second - 1`; false once the service is gone. */
  #tick(second: number): boolean {
    const now = this.read();
    const prev = this.#prev;
    if (now && prev) {
      const wallS = (now.atMs - prev.atMs) / 1000;
      this.#o.onSample({
        second: second - 1,
        cpu: wallS > 0 ? (now.cpuSeconds - prev.cpuSeconds) / wallS / this.#o.cpuCount : 0,
        rssMb: now.rssMb,
        threads: now.threads,
        processes: now.processes,
        voluntarySwitches: now.voluntarySwitches - prev.voluntarySwitches,
        involuntarySwitches: now.involuntarySwitches - prev.involuntarySwitches,
      });
    }
    this.#prev = now;
    return now !== null;
  }

  stop(): void {
    this.#clock.stop();
  }
}
