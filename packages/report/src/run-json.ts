/** The `--json` document of a load run (the README's contract): from the runner's outcome. */
import type { RunOutcome } from '@headroom/runner';
import type { RunJson } from './run-summary.ts';

/** Converts a run outcome (a run's, or a merge's, whose status may also be `abandoned`) to its JSON document; `db` is the store's path. */
export function toRunJson(o: Omit<RunOutcome, 'status'> & { status: string }, db: string): RunJson {
  return {
    runId: o.runId,
    scenario: o.scenario,
    status: o.status,
    exitCode: o.exitCode,
    startedAt: new Date(o.startedAt).toISOString(),
    endedAt: new Date(o.endedAt).toISOString(),
    durationS: (o.endedAt - o.startedAt) / 1000,
    phases: o.phases.map((p) => ({
      phase: p.phase,
      parent: p.parent,
      durationS: p.durationS,
      requests: p.counts.requests,
      errors: p.errors,
      errorsByKind: p.counts.errors as Record<string, number>,
      errorRate: p.errorRate,
      offeredRate: p.offeredRate,
      achievedRate: p.achievedRate,
      lateSends: p.counts.lateSends,
      maxLagMs: p.counts.maxLagUs / 1000,
      latencyMs:
        p.latency.count === 0
          ? null
          : {
              p50: p.latency.p50Ms,
              p90: p.latency.p90Ms,
              p95: p.latency.p95Ms,
              p99: p.latency.p99Ms,
              p999: p.latency.p999Ms,
              max: p.latency.maxMs,
              mean: p.latency.meanMs,
            },
      serviceTimeMs:
        p.service.count === 0
          ? null
          : {
              p50: p.service.p50Ms,
              p90: p.service.p90Ms,
              p95: p.service.p95Ms,
              p99: p.service.p99Ms,
              p999: p.service.p999Ms,
              max: p.service.maxMs,
              mean: p.service.meanMs,
            },
      failedMs: p.failed ? { p50: p.failed.p50Ms, p99: p.failed.p99Ms, max: p.failed.maxMs } : null,
      generatorFloorMs: p.genWakeDelayUs === undefined || p.genWakeDelayUs === null ? null : p.genWakeDelayUs / 1000,
      queuedSends: p.counts.queuedSends,
      maxQueueMs: p.counts.maxQueueUs / 1000,
      concurrency: p.concurrency,
      generatorLimited: p.generator?.limited ?? false,
      generatorLimit: p.generator?.reason ?? null,
      serviceCpu: p.serviceCpu ?? null,
      hostSteal: p.hostSteal ?? null,
      cutShort: p.cutShort ?? false,
      partial: p.partial ?? false,
      ...(p.names === undefined
        ? {}
        : {
            requestsByName: p.names.map((n) => ({
              name: n.name,
              requests: n.requests,
              errors: Object.values(n.errors).reduce((a, b) => a + (b ?? 0), 0),
              errorsByKind: n.errors as Record<string, number>,
              latencyMs:
                n.latency.count === 0 ? null : { p50: n.latency.p50Ms, p90: n.latency.p90Ms, p99: n.latency.p99Ms, max: n.latency.maxMs },
              serviceTimeMs: n.service.count === 0 ? null : { p50: n.service.p50Ms, p99: n.service.p99Ms },
            })),
          }),
      ...(p.checks === undefined || p.checks.length === 0
        ? {}
        : { checks: p.checks.map((k) => ({ name: k.name, passes: k.passes, fails: k.fails })) }),
      ...(p.flows === undefined || p.flows.length === 0
        ? {}
        : {
            flows: p.flows.map((f) => ({
              name: f.name,
              iterations: f.iterations,
              failed: f.failed,
              dropped: f.dropped,
              durationMs: { p50: f.duration.p50Ms, p99: f.duration.p99Ms, max: f.duration.maxMs },
              messages: f.messages,
            })),
          }),
    })),
    gates: o.gates.map((g) => ({ key: g.key, expression: g.expression, value: g.value, status: g.status, aborted: g.aborted })),
    pinning: o.pins.map((p) => ({ role: p.role, pid: p.pid, requested: p.requested, allowed: p.allowed, verified: p.verified })),
    warnings: o.warnings,
    error: o.error,
    db,
    ...(o.segment ? { segment: o.segment } : {}),
  };
}
