/**
 * The stored form of a merged phase and of gate outcomes: written by the store sink as a run
 * goes, and by `headroom merge` for the run it makes of segment runs, so both store the same
 * columns computed the same way.
 */
import type { Row } from '@headroom/store';
import { measuredMs } from '@headroom/internal';
import type { PhaseResult } from '../aggregate.ts';
import type { GateOutcome } from '../gates.ts';

/** What the scenario says of a phase: its load model and whether it is a warm-up. */
export interface PhaseMeta {
  /** null where it is not known (a row stored without it). */
  model: string | null;
  warmup: boolean;
}

/** The `phases` row of a phase result; `meta` null when the scenario does not name the phase. */
export function phaseRow(runId: string, p: PhaseResult, meta: PhaseMeta | null): Partial<Row<'phases'>> {
  return {
    run_id: runId,
    phase: p.phase,
    parent: p.parent,
    ordinal: p.ordinal,
    model: meta?.model ?? null,
    warmup: meta?.warmup ?? false,
    started_at: p.startedAt,
    ended_at: p.endedAt,
    duration_s: p.durationS,
    offered_rate: p.offeredRate,
    achieved_rate: p.achievedRate,
    requests: p.counts.requests,
    ok: p.counts.ok,
    errors: p.errors,
    error_rate: p.errorRate,
    errors_by_kind: JSON.stringify(p.counts.errors),
    late_sends: p.counts.lateSends,
    max_lag_ms: p.counts.maxLagUs / 1000,
    p50_ms: measuredMs(p.latency, 'p50Ms'),
    p75_ms: measuredMs(p.latency, 'p75Ms'),
    p90_ms: measuredMs(p.latency, 'p90Ms'),
    p95_ms: measuredMs(p.latency, 'p95Ms'),
    p99_ms: measuredMs(p.latency, 'p99Ms'),
    p999_ms: measuredMs(p.latency, 'p999Ms'),
    max_ms: measuredMs(p.latency, 'maxMs'),
    mean_ms: measuredMs(p.latency, 'meanMs'),
    svc_p50_ms: measuredMs(p.service, 'p50Ms'),
    svc_p90_ms: measuredMs(p.service, 'p90Ms'),
    svc_p99_ms: measuredMs(p.service, 'p99Ms'),
    svc_p999_ms: measuredMs(p.service, 'p999Ms'),
    svc_max_ms: measuredMs(p.service, 'maxMs'),
    hist: p.hist,
    service_hist: p.serviceHist,
    failed_p50_ms: p.failed?.p50Ms ?? null,
    failed_p99_ms: p.failed?.p99Ms ?? null,
    failed_max_ms: p.failed?.maxMs ?? null,
    failed_hist: p.failedHist,
    queued_sends: p.counts.queuedSends,
    max_queue_ms: p.counts.maxQueueUs / 1000,
    gen_late_sends: p.counts.lateBeyondResolution,
    gen_cpu: p.generator?.cpu ?? null,
    gen_limited: p.generator?.limited ?? null,
    concurrency: p.concurrency,
    cpu_util: p.serviceCpu?.util ?? null,
    cpu_s: p.serviceCpu?.seconds ?? null,
    cpu_per_request_us: p.serviceCpu?.perRequestUs ?? null,
    cut_short: p.cutShort ?? false,
    partial: p.partial ?? false,
    steal_service: p.hostSteal?.service ?? null,
    steal_generator: p.hostSteal?.generator ?? null,
  };
}

/** The `gates` rows of a run's threshold verdicts. */
export function gateRows(runId: string, outcomes: readonly GateOutcome[]): Partial<Row<'gates'>>[] {
  return outcomes.map((g) => ({
    run_id: runId,
    key: g.key,
    scope: g.scope,
    metric: g.metric,
    expression: g.expression,
    op: g.op,
    threshold: g.threshold,
    value: g.value,
    passed: g.status === 'passed',
    aborted: g.aborted,
    reason: g.reason,
  }));
}
