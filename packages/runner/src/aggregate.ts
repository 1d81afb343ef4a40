import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  summarize,
  type Counts,
  type ErrorCounts,
  type Histogram,
  type LatencySummary,
  type WorkerPhaseEnd,
  type WorkerTick,
} from '@headroom/internal';
import { mergeExtras, type PhaseExtras } from './phase-extras.ts';
import type { PhaseProgress } from './phase-progress.ts';

/** One second of the run, merged exactly across workers. */
export interface SecondSample {
  second: number;
  phase: string;
  counts: Counts;
  errors: number;
  latency: LatencySummary;
  hist: Uint8Array;
  /** Highest CPU use of any generator worker in this second (fraction of a core). */
  genCpu: number;
  /** Largest of the workers' median wake-up delays this second (µs): the generator's own latency floor; null without precise wakes. */
  genWakeDelayUs: number | null;
  /** Mean requests in flight at the service (Little's law: completions × mean service time over the second). */
  concurrency: number;
}

/** One phase (or step sub-phase) merged across workers. */
export interface PhaseResult extends Partial<PhaseExtras> {
  phase: string;
  parent: string;
  ordinal: number;
  counts: Counts;
  errors: number;
  errorRate: number;
  offeredRate: number | null;
  achievedRate: number;
  startedAt: number;
  endedAt: number;
  durationS: number;
  latency: LatencySummary;
  service: LatencySummary;
  hist: Uint8Array;
  serviceHist: Uint8Array;
  /** Time to failure of the requests that got no response; null when none failed that way. */
  failed: LatencySummary | null;
  failedHist: Uint8Array | null;
  /**
   * The generator's own latency floor in this phase: the median over its seconds of the
   * workers' wake-up delay (µs), null where it had no precise wakes (closed model, or arrivals
   * under 1 ms apart). Latencies near it are the generator's, not the service's.
   */
  genWakeDelayUs?: number | null;
  /** Mean requests in flight at the service, N = X·R (achieved rate × mean service time). */
  concurrency: number;
  /** Set by the runner: the generator was the bottleneck in this phase (its CPU or its own lateness, not the service's queue). */
  generator?: { limited: boolean; cpu: number | null; reason: string | null };
  /** Set by the runner when it sampled the service's process tree: CPU over the phase. */
  serviceCpu?: { seconds: number; util: number; perRequestUs: number | null } | null;
  /**
   * Set by the runner: the share of the service's and of the generator's CPU time the
   * hypervisor took over the phase (steal, host-steal.ts); null where not measured.
   */
  hostSteal?: { service: number | null; generator: number | null } | null;
  /** The breakpoint search stopped the run while this phase (a step, or its step phase) was running. */
  cutShort?: boolean;
  /**
   * The running aggregate of a phase that has not ended (phase-progress.ts): up to its last
   * complete second, without per-name, check or flow figures. Never given to gates.
   */
  partial?: boolean;
}

export function emptyCounts(): Counts {
  return {
    requests: 0,
    ok: 0,
    errors: {},
    lateSends: 0,
    lateBeyondResolution: 0,
    maxLagUs: 0,
    queuedSends: 0,
    maxQueueUs: 0,
    offered: 0,
    bytesRead: 0,
  };
}

export function addCounts(into: Counts, c: Counts): void {
  into.requests += c.requests;
  into.ok += c.ok;
  into.lateSends += c.lateSends;
  into.lateBeyondResolution += c.lateBeyondResolution ?? 0;
  into.maxLagUs = Math.max(into.maxLagUs, c.maxLagUs);
  into.queuedSends += c.queuedSends ?? 0;
  into.maxQueueUs = Math.max(into.maxQueueUs, c.maxQueueUs ?? 0);
  into.offered += c.offered;
  into.bytesRead += c.bytesRead;
  for (const [k, v] of Object.entries(c.errors) as [keyof ErrorCounts, number][]) into.errors[k] = (into.errors[k] ?? 0) + v;
}

/** Failures with no HTTP answer at all: the service achieved nothing for these. */
const NO_ANSWER = ['timeout', 'refused', 'reset', 'closed', 'tls', 'other'] as const;

/**
 * Requests that got an HTTP answer, whatever its status: the achieved rate counts these, as wrk's
 * Requests/sec does. A refused, reset or timed-out request is an error, not throughput (a phase
 * whose every connection was refused achieved 0/s, not the rate it was offered).
 */
export function answered(c: { requests: number; errors: ErrorCounts }): number {
  let n = c.requests;
  for (const k of NO_ANSWER) n -= c.errors[k] ?? 0;
  return Math.max(0, n);
}

export function errorTotal(e: ErrorCounts): number {
  let n = 0;
  for (const v of Object.values(e)) n += v ?? 0;
  return n;
}

/**
 * Merges per-worker ticks into seconds. A worker may send several ticks for one second
 * (a phase boundary inside it), so a second is complete only once every live worker has
 * sent a tick for a later second, or has ended.
 */
export class SecondMerger {
  private readonly pending = new Map<number, PendingSecond>();
  private readonly latest = new Map<number, number>();
  private readonly live: Set<number>;
  private readonly progress: PhaseProgress | null;

  /**
   * `progress`, when given, gets each tick as it arrives, its histograms decoded once, here: a
   * tick is a worker's complete share of its second and phase, so the phase's running aggregate
   * need not wait for the slowest worker.
   */
  constructor(workers: number[], progress: PhaseProgress | null = null) {
    this.live = new Set(workers);
    this.progress = progress;
    for (const w of workers) this.latest.set(w, -1);
  }

  /** Adds a tick; returns seconds that became complete, in order. */
  add(tick: WorkerTick): SecondSample[] {
    let p = this.pending.get(tick.second);
    if (!p) {
      p = { ticks: [], hist: createHistogram(), service: createHistogram() };
      this.pending.set(tick.second, p);
    }
    p.ticks.push(tick);
    const hist = decodeHistogram(tick.hist);
    const service = decodeHistogram(tick.serviceHist);
    p.hist.add(hist);
    p.service.add(service);
    this.progress?.add(tick, hist, service, tick.failedHist ? decodeHistogram(tick.failedHist) : null);
    this.latest.set(tick.worker, Math.max(this.latest.get(tick.worker) ?? -1, tick.second));
    return this.drain(false);
  }

  /** A worker ended: seconds no longer wait for it. */
  retire(worker: number): SecondSample[] {
    this.live.delete(worker);
    return this.drain(false);
  }

  /** Everything still pending, complete or not (end of run). */
  flush(): SecondSample[] {
    return this.drain(true);
  }

  private drain(all: boolean): SecondSample[] {
    const out: SecondSample[] = [];
    const horizon = Math.min(...[...this.live].map((w) => this.latest.get(w) ?? -1));
    for (const second of [...this.pending.keys()].sort((a, b) => a - b)) {
      if (!all && this.live.size > 0 && second >= horizon) break;
      const p = this.pending.get(second)!;
      this.pending.delete(second);
      out.push(mergeSecond(second, p.ticks, p.hist, p.service));
    }
    return out;
  }
}

/** A second still waiting for ticks: the ticks and their merged histograms. */
interface PendingSecond {
  ticks: WorkerTick[];
  hist: Histogram;
  service: Histogram;
}

function mergeSecond(second: number, ticks: WorkerTick[], hist: Histogram, service: Histogram): SecondSample {
  const counts = emptyCounts();
  let genCpu = 0;
  let wake: number | null = null;
  for (const t of ticks) {
    addCounts(counts, t);
    genCpu = Math.max(genCpu, t.cpu);
    if (typeof t.wakeDelayUs === 'number') wake = Math.max(wake ?? 0, t.wakeDelayUs);
  }
  // A second that straddles a phase boundary is labelled by the phase most of its requests belong to.
  const byPhase = new Map<string, number>();
  for (const t of ticks) byPhase.set(t.phase, (byPhase.get(t.phase) ?? 0) + t.requests + 1);
  const phase = [...byPhase.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const concurrency = (counts.requests * summarize(service).meanMs) / 1000;
  return {
    second,
    phase,
    counts,
    errors: errorTotal(counts.errors),
    latency: summarize(hist),
    hist: encodeHistogram(hist),
    genCpu,
    genWakeDelayUs: wake,
    concurrency,
  };
}

/** Merges per-worker phase ends; a phase is complete when every worker that ran it reported. */
export class PhaseMerger {
  private readonly pending = new Map<string, WorkerPhaseEnd[]>();
  private ordinal = 0;
  private readonly expected: number;

  constructor(expectedWorkers: number) {
    this.expected = expectedWorkers;
  }

  /** The ordinal the next merged phase gets. */
  get nextOrdinal(): number {
    return this.ordinal;
  }

  add(end: WorkerPhaseEnd): PhaseResult | null {
    const list = this.pending.get(end.phase) ?? [];
    list.push(end);
    this.pending.set(end.phase, list);
    if (list.length < this.expected) return null;
    this.pending.delete(end.phase);
    return this.merge(list);
  }

  /** Phases some workers never finished (a worker died): merged from what arrived. */
  flush(): PhaseResult[] {
    const out = [...this.pending.values()].map((l) => this.merge(l));
    this.pending.clear();
    return out;
  }

  private merge(ends: WorkerPhaseEnd[]): PhaseResult {
    const counts = emptyCounts();
    const hist = createHistogram();
    const svc = createHistogram();
    const failed = createHistogram();
    for (const e of ends) {
      addCounts(counts, e);
      mergeEncoded(hist, e.hist);
      mergeEncoded(svc, e.serviceHist);
      if (e.failedHist) mergeEncoded(failed, e.failedHist);
    }
    const anyFailed = failed.totalCount > 0;
    const first = ends[0] as WorkerPhaseEnd;
    const startedAt = Math.min(...ends.map((e) => e.startedAt));
    const endedAt = Math.max(...ends.map((e) => e.endedAt));
    const durationS = Math.max(1e-3, (endedAt - startedAt) / 1000);
    const errors = errorTotal(counts.errors);
    const service = summarize(svc);
    const achievedRate = answered(counts) / durationS;
    return {
      phase: first.phase,
      parent: first.parent,
      ordinal: this.ordinal++,
      counts,
      errors,
      errorRate: counts.requests === 0 ? 0 : errors / counts.requests,
      offeredRate: first.offeredRate,
      achievedRate,
      startedAt,
      endedAt,
      durationS,
      latency: summarize(hist),
      service,
      hist: encodeHistogram(hist),
      serviceHist: encodeHistogram(svc),
      failed: anyFailed ? summarize(failed) : null,
      failedHist: anyFailed ? encodeHistogram(failed) : null,
      concurrency: (achievedRate * service.meanMs) / 1000,
      ...mergeExtras(ends),
    };
  }
}
