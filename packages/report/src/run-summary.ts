import type { SegmentRecord } from '@headroom/core';
import { formatMs, formatRate } from './units.ts';
import { formatTable, painter } from './table.ts';
import { formatScripted } from './scripted-summary.ts';
import { stealLine } from './steal-line.ts';

/** The machine-readable result of a load run: what `headroom run --json` prints. */
export interface RunJson {
  runId: string;
  scenario: string;
  status: string;
  exitCode: number;
  startedAt: string;
  endedAt: string;
  durationS: number;
  phases: PhaseJson[];
  gates: GateJson[];
  pinning: { role: string; pid: number; requested: number[]; allowed: number[]; verified: boolean }[];
  warnings: string[];
  error: string | null;
  db: string;
  /** A segment run (`--segment i/n`): which segment, its phase-0 start and workers, as stored in its config. Absent otherwise. */
  segment?: SegmentRecord;
}

export interface PhaseJson {
  phase: string;
  parent: string;
  durationS: number;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  errorRate: number;
  offeredRate: number | null;
  achievedRate: number;
  lateSends: number;
  maxLagMs: number;
  /** Latency from the intended send time (coordinated-omission corrected), ms; null when no response was measured (every request failed). */
  latencyMs: LatencyJson | null;
  /** Latency from the actual send (service time), ms; null when no response was measured. */
  serviceTimeMs: LatencyJson | null;
  /** Time to failure of requests that got no response (refused, reset, timeout): kept apart from latency. */
  failedMs: { p50: number; p99: number; max: number } | null;
  /** The generator's own wake-up delay in the phase (median over its seconds), in ms: latencies near it are the generator's; null when not measured. */
  generatorFloorMs: number | null;
  /** Arrivals that found every connection busy and waited for the service (its queue), and the longest wait. */
  queuedSends: number;
  maxQueueMs: number;
  /** Mean requests in flight at the service (N = X·R). */
  concurrency: number;
  /** The generator itself was the bottleneck (its CPU, or its own lateness), and why. */
  generatorLimited: boolean;
  generatorLimit: string | null;
  /** The service's CPU over the phase, from /proc (null without a service). */
  serviceCpu: { seconds: number; util: number; perRequestUs: number | null } | null;
  /**
   * The share (0..1) of the service's and of the generator's CPU time the hypervisor took over
   * the phase (steal time, /proc/stat): pauses in the figures that are the host's. null where
   * not measured (no /proc/stat; `service` null without a pinned service).
   */
  hostSteal: { service: number | null; generator: number | null } | null;
  /** Stopped early by the breakpoint search. */
  cutShort: boolean;
  /**
   * The phase never ended (its workers died or were killed while it ran): its figures are its
   * running aggregate up to the last whole second, without per-name figures, and no gate read it.
   */
  partial: boolean;
  /** Per request name (its `name`, else method + path template); their counts and histograms add up to the phase's. */
  requestsByName?: NamedRequestsJson[];
  /** Pass and fail counts per check (failed checks are not errors). */
  checks?: { name: string; passes: number; fails: number }[];
  /** Per flow: iterations, failed (threw), dropped (no free VU), durations in ms, the first error messages. */
  flows?: FlowJson[];
}

export interface NamedRequestsJson {
  name: string;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  /** null when the name got no response (every request of it failed). */
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  serviceTimeMs: { p50: number; p99: number } | null;
}

export interface FlowJson {
  name: string;
  iterations: number;
  failed: number;
  dropped: number;
  durationMs: { p50: number; p99: number; max: number };
  messages: { message: string; count: number }[];
}

export interface LatencyJson {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface GateJson {
  key: string;
  expression: string;
  value: number | null;
  status: string;
  aborted: boolean;
}

export interface RunSummaryOptions {
  color: boolean;
}

/** The terminal summary of a load run: phases table, gates, warnings, where it was stored. */
export function formatRunSummary(run: RunJson, options: RunSummaryOptions): string {
  const c = painter(options.color);
  const out: string[] = [];
  const statusText = run.status === 'completed' ? c('green', run.status) : c('red', run.status);
  out.push(`${c('bold', run.scenario)}  run ${run.runId}  ${statusText}  ${run.durationS.toFixed(1)}s`);
  if (run.phases.length > 0) {
    const rows = run.phases.map((p) => [
      `${p.parent !== p.phase ? `  ${p.phase}` : p.phase}${p.partial ? ' (partial)' : p.cutShort ? ' (cut short)' : ''}`,
      p.offeredRate === null ? 'closed' : formatRate(p.offeredRate),
      formatRate(p.achievedRate),
      p.requests.toLocaleString('en-US'),
      p.errors === 0 ? '0' : c('red', `${p.errors} (${(p.errorRate * 100).toFixed(2)}%)`),
      ...(p.latencyMs === null
        ? ['-', '-', '-', '-', '-']
        : [p.latencyMs.p50, p.latencyMs.p90, p.latencyMs.p99, p.latencyMs.p999, p.latencyMs.max].map(formatMs)),
      p.offeredRate === null ? '-' : String(p.lateSends),
    ]);
    out.push(
      '',
      formatTable(['phase', 'offered', 'achieved', 'requests', 'errors', 'p50', 'p90', 'p99', 'p99.9', 'max', 'late'], rows, {
        rightAlign: [false, true, true, true, true, true, true, true, true, true, true],
      }),
    );
    const partial = run.phases.filter((p) => p.partial);
    if (partial.length > 0)
      out.push(
        c(
          'yellow',
          `  ${partialNote(
            partial.map((p) => p.phase),
            run.status,
          )}`,
        ),
      );
    const errKinds = run.phases.filter((p) => p.errors > 0 && p.parent === p.phase);
    for (const p of errKinds)
      out.push(
        c(
          'dim',
          `  ${p.phase} errors: ${Object.entries(p.errorsByKind)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        ),
      );
    out.push(
      c('dim', '  latency from intended send time (open model: coordinated omission corrected); service time is in --json and the store'),
    );
    const stolen = stealLine(
      run.phases.map((p) => ({ phase: p.phase, generator: p.hostSteal?.generator ?? null, service: p.hostSteal?.service ?? null })),
    );
    if (stolen !== null) out.push(c('dim', `  ${stolen}`));
    const floors = run.phases.filter((p) => p.generatorFloorMs !== null && p.generatorFloorMs !== undefined);
    if (floors.length > 0)
      out.push(
        c(
          'dim',
          `  generator's own wake-up delay (its latency floor): ${floors.map((p) => `${p.phase} ${formatMs(p.generatorFloorMs as number)}`).join(', ')}`,
        ),
      );
  }
  out.push(...formatScripted(run.phases, c));
  if (run.segment)
    out.push(
      '',
      `segment ${run.segment.index}/${run.segment.count} (${run.segment.workers} worker${run.segment.workers === 1 ? '' : 's'}, phase 0 at ${run.segment.startAt}): its share of the load only; headroom merge decides the gates over all ${run.segment.count} segments`,
    );
  if (run.gates.length > 0) {
    out.push('', c('bold', 'thresholds'));
    for (const g of run.gates) {
      const mark = g.status === 'passed' ? c('green', '✓') : c('red', '✗');
      out.push(
        `  ${mark} ${g.key} ${g.expression}  (${g.value === null ? 'no data' : fmtValue(g.key, g.value)})${g.aborted ? c('red', '  aborted the run') : ''}`,
      );
    }
  }
  if (run.pinning.length > 0)
    out.push(
      '',
      c(
        'dim',
        `pinning: ${run.pinning.map((p) => `${p.role} pid ${p.pid} → CPUs ${p.allowed.join(',')}${p.verified ? '' : ' (unverified)'}`).join('; ')}`,
      ),
    );
  // Warnings and the error went to stderr as they happened; the summary only counts them.
  if (run.warnings.length > 0)
    out.push(c('yellow', `${run.warnings.length} warning${run.warnings.length === 1 ? '' : 's'} (printed above, and in runs show)`));
  if (run.error) out.push(c('red', `run ${run.status}: see the error above`));
  out.push(c('dim', `stored in ${run.db} as ${run.runId}`));
  return out.join('\n');
}

function fmtValue(key: string, v: number): string {
  if (/\.(p\d+|max|mean)$/.test(key)) return formatMs(v);
  if (/rate$/i.test(key) && v <= 1 && key.toLowerCase().includes('error')) return `${(v * 100).toFixed(3)}%`;
  if (/checks(\{[^}]*\})?\.rate$/.test(key)) return `${(v * 100).toFixed(2)}%`;
  return String(Math.round(v * 1000) / 1000);
}

/** What a partial phase row is, for the run's summary and `runs show`. */
export function partialNote(phases: readonly string[], status: string): string {
  const list = phases.join(', ');
  if (status === 'running') return `(partial) ${list}: still running; figures so far, up to the last whole second`;
  return `(partial) ${list} never ended (the run is ${status}): figures up to the last whole second measured, without per-name figures; left out of gates, comparisons, capacity and forecasts`;
}
