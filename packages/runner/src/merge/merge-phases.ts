/**
 * The phases of segment runs, combined into the phases of one run: counts summed, histograms
 * decoded and added (exact, as the runner merges its workers), every figure recomputed from the
 * merged histograms with the runner's own code (summarize, mergeExtras). Each segment ran its own
 * generators, so the generator's figures are the worst segment's, and the service's CPU, which
 * every segment of a shared target would count whole, is kept only where one segment measured it.
 */
import { HeadroomError } from '@headroom/core';
import {
  createHistogram,
  encodeHistogram,
  mergeEncoded,
  summarize,
  type Counts,
  type ErrorCounts,
  type FlowEnd,
  type NameEnd,
} from '@headroom/internal';
import { parseJsonColumn, type MeasuredRows, type Row } from '@headroom/store';
import { addCounts, emptyCounts, errorTotal, type PhaseResult } from '../aggregate.ts';
import { mergeExtras } from '../phase-extras.ts';
import type { PhaseMeta } from '../sinks/phase-row.ts';

/** A phase of the merged run, with what the scenario says of it. */
export interface MergedPhase {
  result: PhaseResult;
  meta: PhaseMeta;
}

/** One segment's rows of one phase. */
interface SegmentPhase {
  row: Row<'phases'>;
  requests: Row<'phase_requests'>[];
  checks: Row<'phase_checks'>[];
  flows: Row<'phase_flows'>[];
}

const EMPTY = encodeHistogram(createHistogram());

/**
 * Merges the phases of the segments (in segment order; `labels` name them in errors, `2/4`).
 * Every segment that completed ran every phase; one that stopped early (interrupted, failed,
 * killed: `stopped`) may lack the last ones. A phase some segment lacks, or stopped in (its
 * last), is merged from what there is and marked partial: it is not the whole load, so gates
 * and analyses leave it out.
 */
export function mergePhases(segments: readonly MeasuredRows[], labels: readonly string[], stopped: readonly boolean[] = []): MergedPhase[] {
  if (segments.length === 0) return [];
  const longest = segments.reduce((a, s) => (s.phases.length > a.phases.length ? s : a));
  const names = longest.phases.map((p) => p.phase as string);
  const ref = labels[segments.indexOf(longest)] ?? labels[0];
  segments.forEach((s, i) => {
    const own = s.phases.map((p) => p.phase as string);
    const prefix = own.every((n, k) => names[k] === n);
    if (prefix && (own.length === names.length || stopped[i] === true)) return;
    const missing = names.filter((n) => !own.includes(n));
    const extra = own.filter((n) => !names.includes(n));
    const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has ${extra.join(', ')} besides` : ''];
    throw new HeadroomError(
      'E_SEGMENT_MISMATCH',
      `segment ${labels[i]} ${parts.filter(Boolean).join(' and ') || 'ran its phases in another order'} (of segment ${ref}'s phases), though it ${stopped[i] === true ? 'stopped early' : 'completed'}: merge adds the segments phase by phase, so each ran the same phases (one that stopped early may lack the last ones); were they run with the same scenario?`,
    );
  });
  return names.map((name) => {
    const parts = segments.flatMap((s) => {
      const row = s.phases.find((p) => p.phase === name);
      return row
        ? [
            {
              row,
              requests: s.requests.filter((r) => r.phase === name),
              checks: s.checks.filter((r) => r.phase === name),
              flows: s.flows.filter((r) => r.phase === name),
            },
          ]
        : [];
    });
    const head = parts[0]?.row as Row<'phases'>;
    const result = mergePhase(parts);
    // A segment that stopped before this phase, or during it (its last phase): the merged phase holds only part of the load.
    const stoppedIn = segments.some((s, i) => stopped[i] === true && s.phases.at(-1)?.phase === name);
    if (parts.length < segments.length || stoppedIn) result.partial = true;
    return { result, meta: { model: head.model, warmup: head.warmup === true } };
  });
}

/** One phase over every segment. */
function mergePhase(parts: readonly SegmentPhase[]): PhaseResult {
  const rows = parts.map((p) => p.row);
  const head = rows[0] as Row<'phases'>;
  const counts = emptyCounts();
  const hist = createHistogram();
  const svc = createHistogram();
  const failed = createHistogram();
  for (const r of rows) {
    addCounts(counts, countsOf(r));
    if (r.hist) mergeEncoded(hist, r.hist);
    if (r.service_hist) mergeEncoded(svc, r.service_hist);
    if (r.failed_hist) mergeEncoded(failed, r.failed_hist);
  }
  const errors = errorTotal(counts.errors);
  const offered = rows.filter((r) => r.offered_rate !== null);
  const partial = rows.some((r) => r.partial === true);
  const result: PhaseResult = {
    phase: head.phase as string,
    parent: head.parent ?? (head.phase as string),
    ordinal: head.ordinal ?? 0,
    counts,
    errors,
    errorRate: counts.requests === 0 ? 0 : errors / counts.requests,
    offeredRate: offered.length === 0 ? null : sum(offered.map((r) => r.offered_rate)),
    achievedRate: sum(rows.map((r) => r.achieved_rate)),
    startedAt: Math.min(...rows.map((r) => epochMs(r.started_at))),
    endedAt: Math.max(...rows.map((r) => epochMs(r.ended_at))),
    // The segments ran side by side: the phase lasted as long as its longest segment, not their sum.
    durationS: Math.max(...rows.map((r) => r.duration_s ?? 0)),
    latency: summarize(hist),
    service: summarize(svc),
    hist: encodeHistogram(hist),
    serviceHist: encodeHistogram(svc),
    failed: failed.totalCount > 0 ? summarize(failed) : null,
    failedHist: failed.totalCount > 0 ? encodeHistogram(failed) : null,
    concurrency: sum(rows.map((r) => r.concurrency)),
    serviceCpu: serviceCpuOf(rows),
    hostSteal: stealOf(rows),
    cutShort: rows.some((r) => r.cut_short === true),
    partial,
  };
  const generator = generatorOf(rows);
  if (generator) result.generator = generator;
  // A partial row (a segment killed mid-phase) has no per-name figures: the merged phase has none either.
  if (!partial) Object.assign(result, mergeExtras(parts.map(extrasOf)));
  return result;
}

/** The counts a stored phase row holds (what a worker's phase end carried, less offered and bytes). */
function countsOf(r: Row<'phases'>): Counts {
  return {
    requests: r.requests ?? 0,
    ok: r.ok ?? 0,
    errors: parseErrors(r.errors_by_kind),
    lateSends: r.late_sends ?? 0,
    lateBeyondResolution: r.gen_late_sends ?? 0,
    maxLagUs: toUs(r.max_lag_ms),
    queuedSends: r.queued_sends ?? 0,
    maxQueueUs: toUs(r.max_queue_ms),
    offered: 0,
    bytesRead: 0,
  };
}

/** Each generator's own saturation: the highest CPU of any segment's, limited when any segment's was. */
function generatorOf(rows: readonly Row<'phases'>[]): PhaseResult['generator'] {
  const known = rows.filter((r) => r.gen_cpu !== null || r.gen_limited !== null);
  if (known.length === 0) return undefined;
  const cpus = known.flatMap((r) => (r.gen_cpu === null ? [] : [r.gen_cpu]));
  return { limited: known.some((r) => r.gen_limited === true), cpu: cpus.length ? Math.max(...cpus) : null, reason: null };
}

/** The hypervisor's steal: the worst segment's on each side (each segment ran on its own host or CPUs). */
function stealOf(rows: readonly Row<'phases'>[]): PhaseResult['hostSteal'] {
  const worst = (vs: (number | null | undefined)[]) => {
    const known = vs.filter((v): v is number => typeof v === 'number');
    return known.length === 0 ? null : Math.max(...known);
  };
  const s = { service: worst(rows.map((r) => r.steal_service)), generator: worst(rows.map((r) => r.steal_generator)) };
  return s.service === null && s.generator === null ? null : s;
}

/** The service's CPU when exactly one segment sampled it; several would each count the same shared service. */
function serviceCpuOf(rows: readonly Row<'phases'>[]): PhaseResult['serviceCpu'] {
  const with_ = rows.filter((r) => r.cpu_util !== null);
  const r = with_[0];
  if (with_.length !== 1 || !r) return null;
  return { seconds: r.cpu_s ?? 0, util: r.cpu_util as number, perRequestUs: r.cpu_per_request_us };
}

/** A segment's per-name, check and flow rows as the worker results mergeExtras adds up. */
function extrasOf(p: SegmentPhase): { names: NameEnd[]; checks: { name: string; passes: number; fails: number }[]; flows: FlowEnd[] } {
  return {
    names: p.requests.map((n) => ({
      name: n.name as string,
      requests: n.requests ?? 0,
      ok: n.ok ?? 0,
      errors: parseErrors(n.errors_by_kind),
      hist: n.hist ?? EMPTY,
      serviceHist: n.service_hist ?? EMPTY,
    })),
    checks: p.checks.map((c) => ({ name: c.name as string, passes: c.passes ?? 0, fails: c.fails ?? 0 })),
    flows: p.flows.map((f) => ({
      name: f.flow as string,
      iterations: f.iterations ?? 0,
      failed: f.failed ?? 0,
      dropped: f.dropped ?? 0,
      hist: f.hist ?? EMPTY,
      messages: parseJsonColumn<{ message: string; count: number }[]>(f.messages, []),
    })),
  };
}

/** An errors-by-kind JSON column as counts. */
export function parseErrors(v: unknown): ErrorCounts {
  return parseJsonColumn<ErrorCounts>(v, {});
}

/** A stored ms figure back in µs (to the ns, so a round trip does not drift). */
function toUs(ms: number | null): number {
  return ms === null ? 0 : Math.round(ms * 1e6) / 1e3;
}

function epochMs(v: Date | number | null): number {
  return v === null ? 0 : v instanceof Date ? v.getTime() : v;
}

function sum(values: readonly (number | null)[]): number {
  let s = 0;
  for (const v of values) s += v ?? 0;
  return s;
}
