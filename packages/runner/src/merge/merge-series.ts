/**
 * The per-second series of segment runs as one: seconds count from phase 0's start, which the
 * segments of one execution share (--start-at), so second k of every segment is the same wall
 * second. Counts are summed, histograms added exactly and the percentiles recomputed from the
 * sum; the generator's figures are the worst segment's, the service's only where one segment
 * measured it (several would each report the same shared service).
 */
import { createHistogram, encodeHistogram, mergeEncoded, summarize } from '@headroom/internal';
import type { Row } from '@headroom/store';
import { parseErrors } from './merge-phases.ts';

type Series = Row<'series'>;

/** Columns of the service's runtime metrics (capture agent) and of its process tree (/proc). */
const SUT = ['sut_cpu', 'sut_rss_mb', 'sut_heap_mb', 'sut_elu', 'sut_eld_p99_ms', 'sut_gc_ms'] as const;
const PROC = ['proc_cpu', 'proc_rss_mb', 'proc_threads', 'proc_vcsw', 'proc_ivcsw', 'proc_count'] as const;

/** Merges the series of the segments into the rows of run `runId`, in second order. */
export function mergeSeries(runId: string, segments: readonly (readonly Series[])[]): Partial<Series>[] {
  const bySecond = new Map<number, Series[]>();
  for (const rows of segments)
    for (const r of rows) {
      const k = r.second ?? 0;
      bySecond.set(k, [...(bySecond.get(k) ?? []), r]);
    }
  return [...bySecond.keys()].sort((a, b) => a - b).map((k) => mergeSecondRows(runId, k, bySecond.get(k) ?? []));
}

function mergeSecondRows(runId: string, second: number, rows: readonly Series[]): Partial<Series> {
  const loaded = rows.filter((r) => r.hist !== null || r.requests !== null);
  const out: Partial<Series> = { run_id: runId, second, phase: majorityPhase(rows) };
  if (loaded.length > 0) {
    const hist = createHistogram();
    const errors: Record<string, number> = {};
    for (const r of loaded) {
      if (r.hist) mergeEncoded(hist, r.hist);
      for (const [kind, n] of Object.entries(parseErrors(r.errors_by_kind))) errors[kind] = (errors[kind] ?? 0) + (n ?? 0);
    }
    const latency = summarize(hist);
    Object.assign(out, {
      requests: sum(loaded, 'requests'),
      ok: sum(loaded, 'ok'),
      errors: sum(loaded, 'errors'),
      errors_by_kind: JSON.stringify(errors),
      late_sends: sum(loaded, 'late_sends'),
      queued_sends: sum(loaded, 'queued_sends'),
      concurrency: sum(loaded, 'concurrency'),
      p50_ms: latency.p50Ms,
      p90_ms: latency.p90Ms,
      p99_ms: latency.p99Ms,
      max_ms: latency.maxMs,
      gen_cpu: max(loaded, 'gen_cpu'),
      gen_wake_delay_us: max(loaded, 'gen_wake_delay_us'),
      // The worst host: each segment's steal is its own machine's (or its own CPUs').
      steal_generator: max(loaded, 'steal_generator'),
      steal_service: max(loaded, 'steal_service'),
      hist: encodeHistogram(hist),
    });
  }
  Object.assign(out, onlyOne(rows, SUT), onlyOne(rows, PROC));
  return out;
}

/** A second across a phase boundary is labelled by the phase most of its requests belong to, as the runner labels it. */
function majorityPhase(rows: readonly Series[]): string | null {
  const byPhase = new Map<string, number>();
  for (const r of rows) if (r.phase !== null) byPhase.set(r.phase, (byPhase.get(r.phase) ?? 0) + (r.requests ?? 0) + 1);
  return [...byPhase.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The columns of the one segment that has them, else nulls (none, or several measuring one service). */
function onlyOne<K extends keyof Series>(rows: readonly Series[], cols: readonly K[]): Partial<Series> {
  const having = rows.filter((r) => cols.some((c) => r[c] !== null && r[c] !== undefined));
  const from = having.length === 1 ? having[0] : undefined;
  return Object.fromEntries(cols.map((c) => [c, from ? from[c] : null])) as Partial<Series>;
}

type NumericKey =
  | 'requests'
  | 'ok'
  | 'errors'
  | 'late_sends'
  | 'queued_sends'
  | 'concurrency'
  | 'gen_cpu'
  | 'gen_wake_delay_us'
  | 'steal_generator'
  | 'steal_service';

function sum(rows: readonly Series[], k: NumericKey): number | null {
  const vs = rows.map((r) => r[k]).filter((v): v is number => v !== null);
  return vs.length === 0 ? null : vs.reduce((a, b) => a + b, 0);
}

function max(rows: readonly Series[], k: NumericKey): number | null {
  const vs = rows.map((r) => r[k]).filter((v): v is number => v !== null);
  return vs.length === 0 ? null : Math.max(...vs);
}
