/**
 * The tabular sections of a report from the store's rows: identity, pinning, warnings, gates,
 * phases, per-second series (RED and the service's resources), bench medians, history.
 */
import { medianCI, mannWhitneyU } from '@headroom/analysis';
import type { HistoryRow, ReportRows } from '@headroom/store';
import type {
  BenchTask,
  PhaseBand,
  RedSeries,
  ReportGate,
  ReportPhase,
  ReportPinning,
  ReportRun,
  ResourceSeries,
  TrendData,
} from './report-data.ts';

type Rows = ReportRows;

function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

function iso(v: Date | number | null): string | null {
  if (v === null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

function ms(v: Date | number | null): number | null {
  return v === null ? null : v instanceof Date ? v.getTime() : v;
}

/** The run's identity. */
export function runOf(r: Rows['run']): ReportRun {
  const started = ms(r.started_at);
  const ended = ms(r.ended_at);
  return {
    id: r.id ?? '',
    kind: r.kind ?? 'load',
    scenario: r.scenario ?? '',
    status: r.status ?? 'unknown',
    gates: r.gates,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    durationS: started !== null && ended !== null ? (ended - started) / 1000 : null,
    gitSha: r.git_sha,
    gitDirty: r.git_dirty,
    version: r.version,
    host: r.host,
    cpuModel: r.cpu_model,
    cpuCount: r.cpu_count,
    nodeVersion: r.node_version,
    serviceCpus: json<number[] | null>(r.service_cpus, null),
    workerCpus: json<number[] | null>(r.worker_cpus, null),
    error: r.error,
  };
}

/** The verified pinning of each process. */
export function pinningOf(r: Rows['run']): ReportPinning[] {
  return json<ReportPinning[]>(r.pinning, []).map((p) => ({
    role: String(p.role),
    pid: Number(p.pid),
    requested: (p.requested ?? []).map(Number),
    allowed: (p.allowed ?? []).map(Number),
    verified: Boolean(p.verified),
  }));
}

/** The run's warnings, as stored. */
export function warningsOf(r: Rows['run']): string[] {
  return json<unknown[]>(r.warnings, []).map(String);
}

/** Gates with value, limit and verdict. */
export function gatesOf(rows: Rows['gates']): ReportGate[] {
  return rows.map((g) => ({
    key: g.key ?? '',
    expression: g.expression ?? '',
    value: g.value,
    threshold: g.threshold,
    passed: Boolean(g.passed),
    reason: g.reason,
  }));
}

/** Each phase's figures, corrected and service time. */
export function phasesOf(rows: Rows['phases']): ReportPhase[] {
  return rows.map((p) => ({
    name: p.phase ?? '',
    parent: p.parent,
    model: p.model,
    warmup: Boolean(p.warmup),
    durationS: p.duration_s,
    offeredRate: p.offered_rate,
    achievedRate: p.achieved_rate,
    requests: p.requests ?? 0,
    errors: p.errors ?? 0,
    errorRate: p.error_rate,
    errorsByKind: json<Record<string, number>>(p.errors_by_kind, {}),
    lateSends: p.late_sends,
    latency: { p50: p.p50_ms, p90: p.p90_ms, p99: p.p99_ms, p999: p.p999_ms, max: p.max_ms },
    serviceTime: { p50: p.svc_p50_ms, p90: p.svc_p90_ms, p99: p.svc_p99_ms, p999: p.svc_p999_ms, max: p.svc_max_ms },
    partial: p.partial === true,
    steal: { generator: p.steal_generator ?? null, service: p.steal_service ?? null },
  }));
}

/** Consecutive seconds of the same phase as one band. */
export function bandsOf(series: Rows['series']): PhaseBand[] {
  const bands: PhaseBand[] = [];
  for (const s of series) {
    const second = s.second ?? 0;
    const phase = s.phase ?? '';
    const last = bands[bands.length - 1];
    if (last && last.phase === phase && second <= last.to + 1) last.to = second + 1;
    else bands.push({ phase, from: second, to: second + 1 });
  }
  return bands;
}

/** Requests, errors by kind and p50/p90/p99 per second; undefined without series. */
export function redOf(series: Rows['series']): RedSeries | undefined {
  if (series.length === 0) return undefined;
  const kinds = new Set<string>();
  const byKind = series.map((s) => json<Record<string, number>>(s.errors_by_kind, {}));
  for (const k of byKind) for (const name of Object.keys(k)) kinds.add(name);
  const errorsByKind: Record<string, number[]> = {};
  for (const k of [...kinds].sort()) errorsByKind[k] = byKind.map((m) => Number(m[k] ?? 0));
  const lat = (v: number | null, n: number | null) => (n ? v : null);
  return {
    seconds: series.map((s) => s.second ?? 0),
    requests: series.map((s) => s.requests ?? 0),
    errorsByKind,
    p50: series.map((s) => lat(s.p50_ms, s.requests)),
    p90: series.map((s) => lat(s.p90_ms, s.requests)),
    p99: series.map((s) => lat(s.p99_ms, s.requests)),
    bands: bandsOf(series),
  };
}

/** The service's resources per second; undefined when nothing was sampled. */
export function resourcesOf(series: Rows['series']): ResourceSeries | undefined {
  if (!series.some((s) => s.sut_cpu !== null || s.sut_rss_mb !== null)) return undefined;
  return {
    seconds: series.map((s) => s.second ?? 0),
    cpu: series.map((s) => s.sut_cpu),
    rssMb: series.map((s) => s.sut_rss_mb),
    heapMb: series.map((s) => s.sut_heap_mb),
    elu: series.map((s) => s.sut_elu),
    eventLoopDelayP99Ms: series.map((s) => s.sut_eld_p99_ms),
    gcMs: series.map((s) => s.sut_gc_ms),
    bands: bandsOf(series),
  };
}

function benchSamples(reps: Rows['benchReps']): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const r of reps) {
    if ((r.status ?? 'ok') !== 'ok' || r.median_ns === null) continue;
    const list = by.get(r.task ?? '') ?? [];
    list.push(r.median_ns);
    by.set(r.task ?? '', list);
  }
  return by;
}

/** Each task's median of per-repetition medians with its CI; compared with the baseline's when given. */
export function benchOf(reps: Rows['benchReps'], baseline?: Rows['benchReps']): BenchTask[] {
  const base = baseline ? benchSamples(baseline) : null;
  return [...benchSamples(reps)].map(([task, values]) => {
    const m = medianCI(values);
    const b = base?.get(task);
    let cmp: BenchTask['baseline'] = null;
    if (b && b.length > 0) {
      const bm = medianCI(b).median;
      const p = values.length > 0 ? mannWhitneyU(b, values).p : null;
      cmp = { medianNs: bm, deltaPct: (m.median / bm - 1) * 100, p, significant: p !== null && p < 0.05 };
    }
    return {
      task,
      repetitions: values.length,
      medianNs: m.median,
      ci: m.ci ? { low: m.ci.low, high: m.ci.high, confidence: m.confidence } : null,
      note: m.reason ?? null,
      ...(base ? { baseline: cmp } : {}),
    };
  });
}

/** What a trend follows: its name, unit, and each run's value (null: the run has none). */
export interface TrendMetric {
  metric: string;
  unit: string;
  value(h: HistoryRow): number | null;
}

/** The scenario's history as a trend: by default the p99 of each run's last measured phase. */
export function trendOf(history: readonly HistoryRow[], follow?: TrendMetric): TrendData | undefined {
  const phase = history[history.length - 1]?.phase ?? 'last phase';
  const m: TrendMetric = follow ?? { metric: `p99 of ${phase}`, unit: 'ms', value: (h) => h.p99_ms };
  const points = history.flatMap((h) => {
    const value = m.value(h);
    if (value === null || h.started_at === null) return [];
    return [
      { runId: h.id, time: iso(h.started_at)!, sha: h.git_sha ? h.git_sha.slice(0, 7) + (h.git_dirty ? '+dirty' : '') : null, value },
    ];
  });
  if (points.length < 2) return undefined;
  return { metric: m.metric, unit: m.unit, points, changePoints: [], forecast: null, budget: null, summary: null };
}
