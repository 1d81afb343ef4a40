import type { Row } from '@headroom/store';
import { measuredMs } from '@headroom/internal';
import { errorTotal, type PhaseResult } from '../aggregate.ts';
import { redactString } from '../redact.ts';

/** A phase's per-name, check and flow rows (schema 6). Request names are redacted like request labels elsewhere. */
export function scriptedRows(
  runId: string,
  r: PhaseResult,
  secrets: readonly string[],
): { requests: Partial<Row<'phase_requests'>>[]; checks: Partial<Row<'phase_checks'>>[]; flows: Partial<Row<'phase_flows'>>[] } {
  const requests = (r.names ?? []).map((n) => ({
    run_id: runId,
    phase: r.phase,
    name: redactString(n.name, secrets),
    requests: n.requests,
    ok: n.ok,
    errors: errorTotal(n.errors),
    errors_by_kind: JSON.stringify(n.errors),
    p50_ms: measuredMs(n.latency, 'p50Ms'),
    p90_ms: measuredMs(n.latency, 'p90Ms'),
    p99_ms: measuredMs(n.latency, 'p99Ms'),
    max_ms: measuredMs(n.latency, 'maxMs'),
    mean_ms: measuredMs(n.latency, 'meanMs'),
    svc_p50_ms: measuredMs(n.service, 'p50Ms'),
    svc_p99_ms: measuredMs(n.service, 'p99Ms'),
    hist: n.hist,
    service_hist: n.serviceHist,
  }));
  const checks = (r.checks ?? []).map((c) => ({
    run_id: runId,
    phase: r.phase,
    name: c.name,
    passes: c.passes,
    fails: c.fails,
    rate: c.passes + c.fails === 0 ? null : c.passes / (c.passes + c.fails),
  }));
  const flows = (r.flows ?? []).map((f) => ({
    run_id: runId,
    phase: r.phase,
    flow: f.name,
    iterations: f.iterations,
    failed: f.failed,
    dropped: f.dropped,
    p50_ms: f.duration.p50Ms,
    p99_ms: f.duration.p99Ms,
    max_ms: f.duration.maxMs,
    hist: f.hist,
    messages: JSON.stringify(f.messages),
  }));
  return { requests, checks, flows };
}
