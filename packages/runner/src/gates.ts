import { isLatencyMetric, type Scenario, type Threshold, type ThresholdMetric } from '@headroom/core';
import { createHistogram, mergeEncoded, summarize, type Histogram } from '@headroom/internal';
import { addCounts, emptyCounts, errorTotal, type PhaseResult } from './aggregate.ts';
import { capacityOfResults } from './capacity-steps.ts';

/** The verdict of one threshold: data, not an exception. */
export interface GateOutcome {
  key: string;
  scope: string;
  metric: ThresholdMetric;
  op: Threshold['op'];
  expression: string;
  threshold: number;
  /** Measured value in the metric's base unit (ms, fraction, req/s, count); null when there was no data. */
  value: number | null;
  status: 'passed' | 'failed' | 'no-data';
  /** This threshold stopped the run early (abortOnFail). */
  aborted: boolean;
  reason: string | null;
}

/** Values a threshold can read: one phase, several merged, or a live running total. */
export interface MetricSource {
  requests: number;
  /** Requests that got a 2xx response: latency figures describe only these. */
  ok: number;
  errors: number;
  lateSends: number;
  durationS: number;
  /** Latency histogram (µs) of all the requests counted. */
  hist: Histogram;
}

export function sourceOf(results: PhaseResult[]): MetricSource {
  const counts = emptyCounts();
  let durationS = 0;
  const hist = createHistogram();
  for (const r of results) {
    addCounts(counts, r.counts);
    durationS += r.durationS;
    mergeEncoded(hist, r.hist);
  }
  return { requests: counts.requests, ok: counts.ok, errors: errorTotal(counts.errors), lateSends: counts.lateSends, durationS, hist };
}

/** Reads a metric from merged data; latency in ms, error rate as a fraction, rate in req/s. */
export function metricValue(metric: ThresholdMetric, src: MetricSource): number | null {
  if (src.requests === 0 && metric !== 'requests' && metric !== 'errors') return null;
  switch (metric) {
    case 'rate':
      // Successful (2xx) responses a second: a refused, reset or 503-answered request is no throughput,
      // so a dead or failing service cannot pass a throughput gate on the load it was offered.
      return src.ok / Math.max(1e-3, src.durationS);
    case 'requests':
      return src.requests;
    case 'errors':
      return src.errors;
    case 'errorRate':
      return src.errors / src.requests;
    case 'lateSends':
      return src.lateSends;
    case 'headroom':
      return null;
    default:
      break;
  }
  // A latency figure of a scope where nothing succeeded describes no service at all: no data, never a pass.
  if (src.ok === 0) return null;
  const s = summarize(src.hist);
  const map: Record<string, number> = {
    p50: s.p50Ms,
    p75: s.p75Ms,
    p90: s.p90Ms,
    p95: s.p95Ms,
    p99: s.p99Ms,
    p999: s.p999Ms,
    max: s.maxMs,
    mean: s.meanMs,
  };
  return isLatencyMetric(metric) ? (map[metric] ?? null) : null;
}

export function compareOp(value: number, op: Threshold['op'], threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
  }
}

/** Phases whose data a scope covers: 'run' = every measured top-level phase (sub-phases are already inside their parent). */
export function scopeResults(scope: string, results: PhaseResult[], warmups: ReadonlySet<string>): PhaseResult[] {
  if (scope === 'run') return results.filter((r) => r.parent === r.phase && !warmups.has(r.phase));
  return results.filter((r) => r.phase === scope);
}

/** Evaluates every threshold on the merged results of the run. */
export function evaluateThresholds(scenario: Scenario, results: PhaseResult[], abortedBy: string | null): GateOutcome[] {
  const warmups = new Set(scenario.phases.filter((p) => p.warmup).map((p) => p.name));
  return scenario.thresholds.map((t) => {
    let value: number | null;
    let reason: string | null = null;
    if (t.metric === 'headroom') {
      // The same number `headroom capacity` reports: the lower of the SLO-bounded and CPU-budget capacities over expectedPeak.
      const h = capacityOfResults(results, scenario).headroom;
      value = h.status === 'computed' ? h.value : null;
      if (h.status === 'unavailable') reason = `no headroom: ${h.reason}`;
    } else if (t.metric === 'checkRate') {
      const c = checkCounts(scopeResults(t.scope, results, warmups), t.check);
      value = c.passes + c.fails === 0 ? null : c.passes / (c.passes + c.fails);
      if (value === null) reason = t.check === undefined ? `no checks ran in ${t.scope}` : `no check named "${t.check}" ran in ${t.scope}`;
    } else {
      const rs = scopeResults(t.scope, results, warmups);
      const src = rs.length === 0 ? null : t.request === undefined ? sourceOf(rs) : namedSource(rs, t.request);
      if (src === null && t.request !== undefined) reason = `no request named "${t.request}" in ${t.scope}`;
      value = src === null ? null : metricValue(t.metric, src);
      if (value === null && src !== null && src.requests > 0 && src.ok === 0)
        reason = `no successful requests in ${t.scope} (${src.requests} failed)`;
    }
    const status = value === null ? 'no-data' : compareOp(value, t.op, t.value) ? 'passed' : 'failed';
    reason ??= value === null ? `no measured data for ${t.scope}` : null;
    return {
      key: t.key,
      scope: t.scope,
      metric: t.metric,
      op: t.op,
      expression: t.expression,
      threshold: t.value,
      value,
      status,
      aborted: abortedBy === t.key,
      reason,
    };
  });
}

/** Passes and fails of one check (or of all) over some phases. */
export function checkCounts(results: PhaseResult[], check: string | undefined): { passes: number; fails: number } {
  let passes = 0;
  let fails = 0;
  for (const r of results)
    for (const c of r.checks ?? [])
      if (check === undefined || c.name === check) {
        passes += c.passes;
        fails += c.fails;
      }
  return { passes, fails };
}

/** The requests of one name over some phases, as a metric source; null when none had that name. */
export function namedSource(results: PhaseResult[], name: string): MetricSource | null {
  const hist = createHistogram();
  let requests = 0;
  let ok = 0;
  let errors = 0;
  let durationS = 0;
  let found = false;
  for (const r of results) {
    durationS += r.durationS;
    const n = r.names?.find((x) => x.name === name);
    if (n === undefined) continue;
    found = true;
    requests += n.requests;
    ok += n.ok;
    errors += errorTotal(n.errors);
    mergeEncoded(hist, n.hist);
  }
  return found ? { requests, ok, errors, lateSends: 0, durationS, hist } : null;
}
