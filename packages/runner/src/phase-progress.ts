/**
 * The running aggregate of each phase that has not ended, built from the per-second ticks the
 * workers already send (no extra traffic from them), each added as it arrives: every complete
 * second, the phases that moved get a provisional result, stored as their row marked partial. A phase that ends gets
 * its merged result instead, which replaces that row; a run killed midway keeps, for the phase
 * that was running, what it measured up to its last complete second.
 */
import { subPhases, type Phase, type Scenario } from '@headroom/core';
import { createHistogram, encodeHistogram, summarize, type Counts, type Histogram, type WorkerTick } from '@headroom/internal';
import { addCounts, answered, emptyCounts, errorTotal, type PhaseResult } from './aggregate.ts';

/** Where a phase or step sits on the run's timeline, as the workers lay it out. */
interface PlannedPhase {
  parent: string;
  /** Ms after the run's start of load. */
  startMs: number;
  /** Ms after the run's start of load at which its sending ends (its requests in flight then drain). */
  endMs: number;
  /** Open model: the offered rate (a ramp's mean); null for closed phases and steps. */
  offeredRate: number | null;
}

interface Running {
  counts: Counts;
  hist: Histogram;
  service: Histogram;
  failed: Histogram | null;
  /** The latest second a tick of it came from. */
  lastSecond: number;
  /** Steps seen so far (a step phase's parent): the parent offers their mean rate. */
  steps: Set<string>;
  /** Got ticks since its last provisional result. */
  moved: boolean;
}

function plan(phases: readonly Phase[]): Map<string, PlannedPhase> {
  const out = new Map<string, PlannedPhase>();
  let at = 0;
  for (const p of phases) {
    const subs = subPhases(p);
    if (subs.length > 0 && (p.model === 'steps' || p.model === 'closed-steps')) {
      subs.forEach((s, k) =>
        out.set(s.name, {
          parent: p.name,
          startMs: at + k * p.stepDurationMs,
          endMs: at + (k + 1) * p.stepDurationMs,
          offeredRate: s.rate,
        }),
      );
      out.set(p.name, { parent: p.name, startMs: at, endMs: at + p.durationMs, offeredRate: null });
    } else {
      const rate = p.model === 'constant' ? p.rate : p.model === 'ramp' ? (p.from + p.to) / 2 : null;
      out.set(p.name, { parent: p.name, startMs: at, endMs: at + p.durationMs, offeredRate: rate });
    }
    at += p.durationMs;
  }
  return out;
}

export class PhaseProgress {
  readonly #plan: Map<string, PlannedPhase>;
  readonly #startAt: number;
  readonly #running = new Map<string, Running>();
  readonly #ended = new Set<string>();

  /** `startAt`: epoch ms of the run's second 0 (the first send). */
  constructor(scenario: Scenario, startAt: number) {
    this.#plan = plan(scenario.phases);
    this.#startAt = startAt;
  }

  /** A worker's tick (its whole share of a second and phase), its histograms already decoded (by the SecondMerger). */
  add(tick: WorkerTick, hist: Histogram, service: Histogram, failed: Histogram | null): void {
    const parent = this.#plan.get(tick.phase)?.parent ?? tick.phase;
    for (const name of parent === tick.phase ? [tick.phase] : [tick.phase, parent]) {
      // The phase already has its merged result (a last tick can trail its end): nothing to add.
      if (this.#ended.has(name)) continue;
      let r = this.#running.get(name);
      if (!r) {
        r = {
          counts: emptyCounts(),
          hist: createHistogram(),
          service: createHistogram(),
          failed: null,
          lastSecond: -1,
          steps: new Set(),
          moved: false,
        };
        this.#running.set(name, r);
      }
      addCounts(r.counts, tick);
      r.hist.add(hist);
      r.service.add(service);
      if (failed) (r.failed ??= createHistogram()).add(failed);
      r.lastSecond = Math.max(r.lastSecond, tick.second);
      if (name !== tick.phase) r.steps.add(tick.phase);
      r.moved = true;
    }
  }

  /** Whether the phase (or step) is within its sending time at `nowMs` (epoch ms): begun, and its end not reached. */
  sending(name: string, nowMs: number): boolean {
    const p = this.#plan.get(name);
    return p !== undefined && this.#startAt + p.startMs <= nowMs && nowMs < this.#startAt + p.endMs;
  }

  /** The phase's merged result was published: its aggregate is dropped and later ticks of it ignored. */
  end(phase: string): void {
    this.#ended.add(phase);
    this.#running.delete(phase);
  }

  /**
   * Provisional results of the phases that got ticks since the last call (steps before their
   * parent), numbered from `ordinal`, the next one the merged phases would take.
   */
  take(ordinal: number): PhaseResult[] {
    return this.#results(ordinal, true);
  }

  /** Provisional results of every phase that never ended (the end of a run whose workers died or were killed). */
  unfinished(ordinal: number): PhaseResult[] {
    return this.#results(ordinal, false);
  }

  #results(ordinal: number, movedOnly: boolean): PhaseResult[] {
    const names = [...this.#running.entries()].filter(([, r]) => !movedOnly || r.moved).map(([n]) => n);
    // A parent after its steps, as merged results arrive.
    names.sort((a, b) => Number(this.#plan.get(a)?.parent === a) - Number(this.#plan.get(b)?.parent === b));
    return names.map((name, i) => {
      const r = this.#running.get(name) as Running;
      r.moved = false;
      return this.#result(name, r, ordinal + i);
    });
  }

  #result(name: string, r: Running, ordinal: number): PhaseResult {
    const planned = this.#plan.get(name);
    const startedAt = this.#startAt + (planned?.startMs ?? 0);
    // Up to the end of the last second it has ticks of: what was measured, not what was planned. (The
    // runner asks when a second completed, i.e. every worker's tick of it is in.)
    const endedAt = Math.max(startedAt + 1, this.#startAt + (r.lastSecond + 1) * 1000);
    const durationS = (endedAt - startedAt) / 1000;
    const errors = errorTotal(r.counts.errors);
    const service = summarize(r.service);
    const achievedRate = answered(r.counts) / durationS;
    const stepRates = [...r.steps].map((s) => this.#plan.get(s)?.offeredRate ?? null);
    const offeredRate =
      r.steps.size > 0
        ? stepRates.every((x) => x !== null)
          ? stepRates.reduce((a: number, b) => a + (b as number), 0) / stepRates.length
          : null
        : (planned?.offeredRate ?? null);
    const anyFailed = r.failed !== null && r.failed.totalCount > 0;
    return {
      phase: name,
      parent: planned?.parent ?? name,
      ordinal,
      counts: { ...r.counts, errors: { ...r.counts.errors } },
      errors,
      errorRate: r.counts.requests === 0 ? 0 : errors / r.counts.requests,
      offeredRate,
      achievedRate,
      startedAt,
      endedAt,
      durationS,
      latency: summarize(r.hist),
      service,
      hist: encodeHistogram(r.hist),
      serviceHist: encodeHistogram(r.service),
      failed: anyFailed ? summarize(r.failed as Histogram) : null,
      failedHist: anyFailed ? encodeHistogram(r.failed as Histogram) : null,
      concurrency: (achievedRate * service.meanMs) / 1000,
      partial: true,
    };
  }
}
