/**
 * What a load run does with its workers' messages: seconds and phases merged across workers,
 * each complete second and phase published, the phases still running stored as they stand,
 * the breakpoint search and the generator's own CPU watched. run-load.ts owns the processes
 * and the run's status; this owns the figures.
 */
import type { Scenario, Segment } from '@headroom/core';
import type { WorkerToRunner } from '@headroom/internal';
import { PhaseMerger, SecondMerger, type PhaseResult } from './aggregate.ts';
import type { SampleBus } from './bus.ts';
import { PhaseProgress } from './phase-progress.ts';
import { PhaseWatch, type BreakpointStop } from './phase-watch.ts';
import type { StealSampler } from './host-steal.ts';
import type { ProcSampler } from './proc-sampler.ts';
import { redactString } from './redact.ts';
import { toSegmentShare } from './segment-run.ts';

/** Generator CPU above this for 3 seconds in a row means the generator, not the service, is the limit. */
const GEN_CPU_LIMIT = 0.9;

export interface RunFeedOptions {
  scenario: Scenario;
  segment: Segment | null;
  /** Epoch ms of phase 0's start. */
  startAt: number;
  /** The workers' indexes. */
  workers: number[];
  bus: SampleBus;
  sampler: ProcSampler | null;
  /** The host's steal on the service's and generator's CPUs; null where /proc/stat cannot be read. */
  steal: StealSampler | null;
  warn(message: string): void;
  /** False once the run stopped for another reason: a breakpoint stop is then moot. */
  running(): boolean;
  /** A breakpoint stop that cuts `phase` short: the workers are told to end it. */
  endPhase(phase: string): void;
  /** A worker said it started, with its pid. */
  onReady(worker: number, pid: number): void;
  /** A worker failed and said why. */
  onFatal(worker: number, message: string): void;
}

export class RunFeed {
  /** Phases that ended, in the order they ended. */
  readonly results: PhaseResult[] = [];
  readonly watch: PhaseWatch;
  readonly #o: RunFeedOptions;
  readonly #progress: PhaseProgress;
  readonly #phases: PhaseMerger;
  readonly #seconds: SecondMerger;
  // Per phase, each second's generator wake-up delay: the floor reported beside the latencies.
  readonly #wakeDelays = new Map<string, number[]>();
  #hotSeconds = 0;
  #warnedCpu = false;

  constructor(options: RunFeedOptions) {
    this.#o = options;
    const { scenario, sampler, steal } = options;
    this.#progress = new PhaseProgress(scenario, options.startAt);
    this.watch = new PhaseWatch({
      scenario,
      ...(sampler ? { readTree: () => sampler.read(), latestTree: () => sampler.latest() } : {}),
      ...(steal ? { readSteal: () => steal.read(), latestSteal: () => steal.latest() } : {}),
      sending: (name) => this.#progress.sending(name, Date.now()),
    });
    this.#phases = new PhaseMerger(options.workers.length);
    this.#seconds = new SecondMerger(options.workers, this.#progress);
  }

  onMessage(msg: WorkerToRunner): void {
    const { bus, startAt } = this.#o;
    switch (msg.type) {
      case 'ready':
        this.#o.onReady(msg.worker, msg.pid);
        break;
      case 'tick': {
        const complete = this.#seconds.add(msg);
        for (const s of complete) {
          this.watch.onSecond(s);
          bus.publish({ type: 'second', sample: s, startAt });
          if (s.genWakeDelayUs !== null) this.#wakeDelays.set(s.phase, [...(this.#wakeDelays.get(s.phase) ?? []), s.genWakeDelayUs]);
          this.#watchGeneratorCpu(s.phase, s.genCpu);
        }
        if (complete.length > 0) this.#publishProgress(this.#progress.take(this.#phases.nextOrdinal));
        break;
      }
      case 'phase-end': {
        const r = this.#phases.add(msg);
        if (r) this.#publishPhase(r);
        break;
      }
      case 'traces':
        bus.publish({ type: 'traces', samples: msg.samples });
        break;
      case 'warning':
        this.#o.warn(`worker ${msg.worker}: ${msg.message}`);
        break;
      case 'fatal':
        this.#o.onFatal(msg.worker, msg.message);
        break;
      case 'done': {
        const complete = this.#seconds.retire(msg.worker);
        for (const s of complete) bus.publish({ type: 'second', sample: s, startAt });
        if (complete.length > 0) this.#publishProgress(this.#progress.take(this.#phases.nextOrdinal));
        break;
      }
    }
  }

  /**
   * After the workers exited: what they left half-merged is published, and the phases that
   * never ended (workers died or were killed mid-phase) are stored as partial and returned,
   * never given to gates.
   */
  finish(): PhaseResult[] {
    for (const s of this.#seconds.flush()) this.#o.bus.publish({ type: 'second', sample: s, startAt: this.#o.startAt });
    for (const r of this.#phases.flush()) this.#publishPhase(r);
    const unfinished = this.#progress.unfinished(this.#phases.nextOrdinal);
    this.#publishProgress(unfinished);
    for (const r of this.results) r.genWakeDelayUs = medianOf(this.#wakeDelays.get(r.phase) ?? []);
    return unfinished;
  }

  #watchGeneratorCpu(phase: string, genCpu: number): void {
    this.#hotSeconds = genCpu > GEN_CPU_LIMIT && this.#o.scenario.workers.idle !== 'poll' ? this.#hotSeconds + 1 : 0;
    if (this.#hotSeconds < 3 || this.#warnedCpu) return;
    this.#warnedCpu = true;
    this.#o.warn(
      `load generator CPU above ${GEN_CPU_LIMIT * 100}% for 3s (phase ${phase}): from here the generator, not the service, may be the limit; add workers.cpus or lower the load`,
    );
  }

  // Each complete second, the phases still running are stored as they stand (a crash loses at most the second in progress).
  #publishProgress(provisional: PhaseResult[]): void {
    if (provisional.length === 0) return;
    for (const r of provisional) {
      toSegmentShare(r, this.#o.segment);
      this.watch.enrichProvisional(r);
    }
    this.#o.bus.publish({ type: 'phase-progress', results: provisional });
    for (const r of provisional) {
      const stop = this.watch.liveStep(r);
      if (stop) this.#onBreakpointStop(stop);
    }
  }

  #publishPhase(r: PhaseResult): void {
    const { scenario, bus } = this.#o;
    this.#progress.end(r.phase);
    toSegmentShare(r, this.#o.segment);
    // Default request names hold the path and its query: redacted before any sink or output sees them.
    if (r.names) for (const n of r.names) n.name = redactString(n.name, scenario.redact);
    for (const w of this.watch.enrich(r)) this.#o.warn(w);
    if (this.watch.cutShort(r.phase)) r.cutShort = true;
    this.results.push(r);
    bus.publish({ type: 'phase', result: r });
    const stop = this.watch.afterStep(r);
    if (stop) this.#onBreakpointStop(stop);
  }

  // A breakpoint search decided (on a step's result, or on a step that certainly failed while running): steps
  // not begun never start, steps still sending stop and are cut short, a step already draining ends whole.
  #onBreakpointStop(stop: BreakpointStop): void {
    if (!this.#o.running()) return;
    const list = (names: string[]) => `${names.length} step${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
    const rest = [
      stop.cutShort.length > 0
        ? `${list(stop.cutShort)} had begun and ${stop.cutShort.length === 1 ? 'is' : 'are'} stored as cut short (capacity keeps a cut step only where its answers already fail the SLO)`
        : '',
      stop.notRun.length > 0 ? `${list(stop.notRun)} not run` : '',
    ].filter((x) => x !== '');
    this.#o.warn(
      `breakpoint search: ${stop.reason} (up to ${stop.after}); ${rest.length === 0 ? 'that was the last step' : `stopping ${stop.phase} early: ${rest.join('; ')}`}`,
    );
    if (rest.length > 0) this.#o.endPhase(stop.phase);
  }
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}
