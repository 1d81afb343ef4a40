import { createHistogram, encodeHistogram, mergeEncoded, summarize } from '@headroom/internal';
import type { CheckEnd, ErrorCounts, FlowEnd, Histogram, LatencySummary, WorkerPhaseEnd } from '@headroom/internal';
import { sumChecks, sumFlows } from '@headroom/load';

/** One request name over a phase, merged exactly across workers. */
export interface NameResult {
  name: string;
  requests: number;
  ok: number;
  errors: ErrorCounts;
  /** Corrected latency (from the intended send) and service time. */
  latency: LatencySummary;
  service: LatencySummary;
  hist: Uint8Array;
  serviceHist: Uint8Array;
}

/** One flow over a phase: iterations, failures (thrown), drops (no free VU), iteration durations. */
export interface FlowResult {
  name: string;
  iterations: number;
  failed: number;
  dropped: number;
  duration: LatencySummary;
  hist: Uint8Array;
  messages: { message: string; count: number }[];
}

/** What a phase carries beside its totals: per request name, per check, per flow. */
export interface PhaseExtras {
  names: NameResult[];
  checks: CheckEnd[];
  flows: FlowResult[];
}

/**
 * Merges the per-name, check and flow results of one phase: the workers' at its end, or the
 * segment runs' (read back from their stores) when `headroom merge` makes one run of them.
 */
export function mergeExtras(ends: readonly Pick<WorkerPhaseEnd, 'names' | 'checks' | 'flows'>[]): PhaseExtras {
  const byName = new Map<string, { requests: number; ok: number; errors: ErrorCounts; hist: Histogram; svc: Histogram }>();
  for (const e of ends)
    for (const n of e.names ?? []) {
      const t = byName.get(n.name) ?? { requests: 0, ok: 0, errors: {}, hist: createHistogram(), svc: createHistogram() };
      t.requests += n.requests;
      t.ok += n.ok;
      for (const [k, v] of Object.entries(n.errors) as [keyof ErrorCounts, number][]) t.errors[k] = (t.errors[k] ?? 0) + v;
      mergeEncoded(t.hist, n.hist);
      mergeEncoded(t.svc, n.serviceHist);
      byName.set(n.name, t);
    }
  const names = [...byName].map(([name, t]) => ({
    name,
    requests: t.requests,
    ok: t.ok,
    errors: t.errors,
    latency: summarize(t.hist),
    service: summarize(t.svc),
    hist: encodeHistogram(t.hist),
    serviceHist: encodeHistogram(t.svc),
  }));
  names.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
  const checks = sumChecks(ends.map((e) => e.checks ?? []));
  const flows = sumFlows(ends.map((e) => e.flows ?? [])).map((f: FlowEnd) => {
    const h = createHistogram();
    mergeEncoded(h, f.hist);
    return { ...f, duration: summarize(h) };
  });
  return { names, checks, flows };
}
