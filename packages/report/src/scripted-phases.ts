/** A run's stored per-name, check and flow rows in the shapes of `headroom run --json`, for `runs show` and the HTML report. */
import type { StoredPhase, StoredScripted } from '@headroom/store';
import type { FlowJson, NamedRequestsJson } from './run-summary.ts';
import type { ScriptedPhase } from './scripted-summary.ts';

/**
 * One entry per top-level phase that has per-name, check or flow rows, in the phases' order
 * (none for a run stored without them). Each list is present only when it has rows, as in the
 * run's own JSON.
 */
export function scriptedPhases(phases: readonly Pick<StoredPhase, 'phase' | 'parent'>[], rows: StoredScripted): ScriptedPhase[] {
  return phases
    .filter((p) => p.parent === null || p.parent === p.phase)
    .flatMap((p) => {
      const phase = p.phase as string;
      const names = rows.requests.filter((n) => n.phase === phase).map(toNamed);
      const checks = rows.checks
        .filter((k) => k.phase === phase)
        .map((k) => ({ name: k.name as string, passes: k.passes ?? 0, fails: k.fails ?? 0 }));
      const flows = rows.flows.filter((f) => f.phase === phase).map(toFlow);
      if (names.length + checks.length + flows.length === 0) return [];
      return [
        {
          phase,
          parent: phase,
          ...(names.length === 0 ? {} : { requestsByName: names }),
          ...(checks.length === 0 ? {} : { checks }),
          ...(flows.length === 0 ? {} : { flows }),
        },
      ];
    });
}

function toNamed(n: StoredScripted['requests'][number]): NamedRequestsJson {
  return {
    name: n.name as string,
    requests: n.requests ?? 0,
    errors: n.errors ?? 0,
    errorsByKind: json(n.errors_by_kind, {}),
    latencyMs: n.p50_ms === null ? null : { p50: n.p50_ms, p90: n.p90_ms ?? 0, p99: n.p99_ms ?? 0, max: n.max_ms ?? 0 },
    serviceTimeMs: n.svc_p50_ms === null ? null : { p50: n.svc_p50_ms, p99: n.svc_p99_ms ?? 0 },
  };
}

function toFlow(f: StoredScripted['flows'][number]): FlowJson {
  return {
    name: f.flow as string,
    iterations: f.iterations ?? 0,
    failed: f.failed ?? 0,
    dropped: f.dropped ?? 0,
    durationMs: { p50: f.p50_ms ?? 0, p99: f.p99_ms ?? 0, max: f.max_ms ?? 0 },
    messages: json(f.messages, []),
  };
}

/** A JSON column: DuckDB hands it back as text. */
function json<T>(v: string | null, fallback: T): T {
  return v === null ? fallback : (JSON.parse(v) as T);
}
