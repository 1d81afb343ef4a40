/**
 * From the store's rows to the report's model: decodes the phases' HDR histograms into latency
 * spectra, reads the stored pprof artifacts into flame graphs (differential ones against a
 * baseline run), joins the slowest traced requests with their spans and their spans' CPU samples.
 */
import { decodeHistogram } from '@headroom/internal';
import { readPprof, sampleTypeNames } from '@headroom/capture/profile';
import type { ReportRows } from '@headroom/store';
import type { Profile } from 'pprof-format';
import { diffFlameGraphOf, flameGraphOf, type FlameSource } from './flame-graph.ts';
import { spectrumOf } from './latency-spectrum.ts';
import type { CapacityData, FlameGraph, LatencySpectrum, ReportData } from './report-data.ts';
import { benchOf, gatesOf, phasesOf, pinningOf, redOf, resourcesOf, runOf, trendOf, warningsOf } from './sections-from-rows.ts';
import { scriptedPhases } from '../scripted-phases.ts';
import { slowRequestsOf } from './slow-requests.ts';
import { summarySentence } from './summary.ts';

/** How a report is assembled. */
export interface BuildReportDataOptions {
  /** Rows of a baseline run: differential flame graphs and bench comparisons against it. */
  baseline?: ReportRows | null;
  /** Profile sample types drawn as flame graphs. @default ['cpu', 'heap'] */
  profileTypes?: readonly string[];
  /** The report's timestamp. @default now */
  now?: Date;
}

/** Defaults of {@link BuildReportDataOptions}. */
export const BUILD_REPORT_DATA_DEFAULTS = { profileTypes: ['cpu', 'heap'] } as const;

/** The report's model of one run. Reads the run's pprof artifacts from disk. */
export async function buildReportData(rows: ReportRows, options: BuildReportDataOptions = {}): Promise<ReportData> {
  const baseline = options.baseline ?? null;
  const phases = phasesOf(rows.phases);
  const config = typeof rows.run.config === 'string' ? safeJson(rows.run.config) : null;
  const slo = (config?.['slo'] ?? null) as { p99Ms?: number | null; errorRate?: number | null } | null;
  const data: ReportData = {
    format: 1,
    generatedAt: (options.now ?? new Date()).toISOString(),
    run: runOf(rows.run),
    ...(baseline ? { baselineRunId: baseline.run.id } : {}),
    ...(slo && (slo.p99Ms || slo.errorRate) ? { slo: { p99: slo.p99Ms ?? null, errorRate: slo.errorRate ?? null } } : {}),
    pinning: pinningOf(rows.run),
    warnings: warningsOf(rows.run),
    gates: gatesOf(rows.gates),
    phases,
    scripted: scriptedPhases(rows.phases, rows.scripted),
    spectra: spectraOf(rows),
    capacity: capacityOf(rows),
    red: redOf(rows.series),
    resources: resourcesOf(rows.series),
    trend: withSloBudget(trendOf(rows.history), slo?.p99Ms ?? null),
    bench: benchOf(rows.benchReps, baseline?.benchReps),
  };
  const profiles = await loadProfiles(rows);
  const baseProfiles = baseline ? await loadProfiles(baseline) : new Map<string, Profile>();
  data.flameGraphs = flameGraphsOf(rows, profiles, baseline, baseProfiles, options.profileTypes ?? BUILD_REPORT_DATA_DEFAULTS.profileTypes);
  const slow = slowRequestsOf(rows);
  data.slowRequests = slow.map(({ spanIds: _ids, ...r }) => r);
  const spanIds = new Set(slow.flatMap((s) => s.spanIds));
  const cpuSources = rows.profiles.filter((p) => p.type === 'cpu').flatMap((p) => source(profiles, p.path, p.sample_type, spanIds));
  const joined =
    spanIds.size > 0 && cpuSources.length > 0
      ? flameGraphOf(cpuSources, {
          id: 'flame-slow-requests',
          title: 'the slowest traced requests (their spans’ samples)',
          phase: 'all',
          type: 'cpu',
          minShare: 0,
        })
      : null;
  if (joined) data.flameGraphs.push(joined);
  if (joined) data.slowRequestsFlameId = joined.id;
  data.summary = summarySentence(data);
  return prune(data);
}

function spectraOf(rows: ReportRows): LatencySpectrum[] {
  return rows.phases
    .filter((p) => p.hist || p.service_hist)
    .map((p) => ({
      phase: p.phase ?? '',
      corrected: p.hist ? spectrumOf(decodeHistogram(p.hist)) : null,
      serviceTime: p.service_hist ? spectrumOf(decodeHistogram(p.service_hist)) : null,
    }));
}

/** The history of p99 drawn against the scenario's p99 SLO: the budget its trend must stay under. */
function withSloBudget(trend: ReportData['trend'], sloP99: number | null): ReportData['trend'] {
  return trend && sloP99 !== null && trend.unit === 'ms' ? { ...trend, budget: sloP99 } : trend;
}

/** Step phases (several sub-phases of one parent) as capacity steps; absent without steps. */
function capacityOf(rows: ReportRows): CapacityData | undefined {
  // A step the run never finished (killed mid-step) is no measurement at its rate.
  const steps = rows.phases.filter((p) => p.parent && p.parent !== p.phase && p.partial !== true);
  if (steps.length < 2) return undefined;
  const config = typeof rows.run.config === 'string' ? safeJson(rows.run.config) : null;
  const slo = (config?.['slo'] ?? null) as { p99Ms?: number | null } | null;
  const cpuOf = (phase: string) => {
    const v = rows.series.filter((s) => s.phase === phase && s.sut_cpu !== null).map((s) => s.sut_cpu!);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return {
    steps: steps.map((p) => ({
      phase: p.phase ?? '',
      offeredRate: p.offered_rate,
      // Mean requests in flight (N = X·R, stored with the step): the USL's measured points.
      concurrency: p.concurrency ?? null,
      achievedRate: p.achieved_rate,
      p99: p.p99_ms,
      serviceP99: p.svc_p99_ms,
      errorRate: p.error_rate,
      // The step's service CPU from /proc (stored with the step); else the capture agent's per-second figure.
      cpu: p.cpu_util ?? cpuOf(p.phase ?? ''),
      // Stopped by the breakpoint search: marked, as `headroom capacity` leaves it out or keeps it only as a failing step.
      cutShort: p.cut_short === true,
    })),
    sloP99: slo?.p99Ms ?? null,
    capacity: null,
    cpuBudget: null,
    cpuBudgetCapacity: null,
    usl: null,
    expectedPeak: typeof config?.['expectedPeak'] === 'number' ? config['expectedPeak'] : null,
    headroom: null,
  };
}

function safeJson(s: string): Record<string, unknown> | null {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function loadProfiles(rows: ReportRows): Promise<Map<string, Profile>> {
  const out = new Map<string, Profile>();
  for (const path of new Set(rows.profiles.map((p) => p.path).filter((p): p is string => !!p))) {
    // A report is still worth having when an artifact was moved or deleted: its flame graph is left out.
    try {
      out.set(path, await readPprof(path));
    } catch {
      /* missing artifact */
    }
  }
  return out;
}

function source(
  profiles: Map<string, Profile>,
  path: string | null,
  sampleType: string | null,
  spanIds?: ReadonlySet<string>,
): FlameSource[] {
  const profile = path ? profiles.get(path) : undefined;
  if (!profile) return [];
  const typeIndex = sampleTypeNames(profile).indexOf(sampleType ?? '');
  return typeIndex < 0 ? [] : [{ profile, typeIndex, ...(spanIds ? { spanIds } : {}) }];
}

function flameGraphsOf(
  rows: ReportRows,
  profiles: Map<string, Profile>,
  baseline: ReportRows | null,
  baseProfiles: Map<string, Profile>,
  types: readonly string[],
): FlameGraph[] {
  const out: FlameGraph[] = [];
  rows.profiles
    .filter((p) => types.includes(p.type ?? ''))
    .forEach((p, i) => {
      const src = source(profiles, p.path, p.sample_type)[0];
      if (!src) return;
      const opts = { id: `flame-${i}`, title: p.phase ?? '', phase: p.phase ?? '', type: p.type ?? '' };
      const g = flameGraphOf(src, opts);
      if (g) out.push(g);
      const b = baseline?.profiles.find((q) => q.phase === p.phase && q.type === p.type);
      const bsrc = b ? source(baseProfiles, b.path, b.sample_type)[0] : undefined;
      if (bsrc && baseline) {
        const d = diffFlameGraphOf(src, bsrc, baseline.run.id ?? '', {
          ...opts,
          id: `flame-${i}-diff`,
          title: `${p.phase} vs ${baseline.run.id}`,
        });
        if (d) out.push(d);
      }
    });
  return out;
}

/** Drops empty sections, so renderers only test for presence. */
function prune(d: ReportData): ReportData {
  const o = d as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete o[k];
  }
  return d;
}
