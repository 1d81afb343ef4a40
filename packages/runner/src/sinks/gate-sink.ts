import { type Scenario, type Threshold } from '@headroom/core';
import { createHistogram, mergeEncoded } from '@headroom/internal';
import type { BusEvent, Sink } from '../bus.ts';
import { compareOp, metricValue, type MetricSource } from '../gates.ts';

/** A scope's running total: one second of data per `durationS`. */
interface Running extends MetricSource {
  startedAt: number;
}

/**
 * Live evaluation of thresholds marked `abortOnFail` (k6's semantics): once a scope has
 * run for `delayAbortEval`, a failing threshold stops the run. The run is still stored
 * and the final verdicts are computed on the merged phase data afterwards.
 */
export class GateSink implements Sink {
  readonly name = 'gates';
  private readonly watched: Threshold[];
  private readonly warmups: Set<string>;
  private readonly running = new Map<string, Running>();
  private readonly onAbort: (threshold: Threshold, value: number) => void;
  private fired = false;

  constructor(scenario: Scenario, onAbort: (threshold: Threshold, value: number) => void) {
    // Per-name and check thresholds have no per-second data: they are judged at the end only.
    this.watched = scenario.thresholds.filter(
      (t) => t.abortOnFail && t.metric !== 'headroom' && t.metric !== 'checkRate' && t.request === undefined,
    );
    this.warmups = new Set(scenario.phases.filter((p) => p.warmup).map((p) => p.name));
    this.onAbort = onAbort;
  }

  onEvent(e: BusEvent): void {
    if (this.fired || this.watched.length === 0 || e.type !== 'second') return;
    const phase = e.sample.phase;
    const parent = phase.includes('@') ? phase.slice(0, phase.indexOf('@')) : phase;
    const scopes = new Set([phase, parent]);
    if (!this.warmups.has(parent)) scopes.add('run');
    const now = e.startAt + (e.sample.second + 1) * 1000;
    for (const scope of scopes) {
      let r = this.running.get(scope);
      if (!r) {
        r = { requests: 0, ok: 0, errors: 0, lateSends: 0, durationS: 0, hist: createHistogram(), startedAt: now - 1000 };
        this.running.set(scope, r);
      }
      r.requests += e.sample.counts.requests;
      r.ok += e.sample.counts.ok;
      r.errors += e.sample.errors;
      r.lateSends += e.sample.counts.lateSends;
      r.durationS += 1;
      mergeEncoded(r.hist, e.sample.hist);
    }
    for (const t of this.watched) {
      const r = this.running.get(t.scope);
      if (!r || !scopes.has(t.scope) || now - r.startedAt < t.delayAbortEvalMs || r.requests === 0) continue;
      const value = metricValue(t.metric, r);
      if (value !== null && !compareOp(value, t.op, t.value)) {
        this.fired = true;
        this.onAbort(t, value);
        return;
      }
    }
  }
}
