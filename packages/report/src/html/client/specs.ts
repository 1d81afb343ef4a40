/**
 * Which charts a report has, built from its data: the server renders one container per id
 * (`chartIds`), the page fills each with `chartSpec`. Both sides call the same function, so a
 * container never lacks its data and no data lacks a container.
 */
import type { ReportData } from '../../data/report-data.ts';
import type { ChartSpec, Line } from './chart-spec.ts';

const pct = (v: number | null) => (v === null ? null : v * 100);

function fmtMsAxis(v: number): string {
  if (v === 0) return '0';
  if (v < 1) return `${+(v * 1000).toPrecision(3)}µs`;
  if (v < 1000) return `${+v.toPrecision(3)}ms`;
  return `${+(v / 1000).toPrecision(3)}s`;
}

function percentileLabel(x: number): string {
  if (x <= 1) return 'p0';
  const q = (1 - 1 / x) * 100;
  return `p${+q.toPrecision(Math.max(2, Math.ceil(Math.log10(x)) + 1))}`;
}

/** Every chart of a report, in page order, keyed by id. */
export function chartSpecs(d: ReportData): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (d.red) {
    const r = d.red;
    const errors: Line[] = Object.entries(r.errorsByKind).map(([k, v], i) => ({
      label: `errors/s: ${k}`,
      values: v,
      color: ['#d62728', '#ff7f0e', '#8c564b', '#e377c2'][i % 4]!,
      scale: 'y2',
    }));
    out.push({
      id: 'red-rate',
      x: r.seconds,
      xLabel: 'second of run',
      yLabel: 'requests/s',
      y2Label: errors.length ? 'errors/s' : undefined,
      lines: [{ label: 'requests/s', values: r.requests, color: '#1f77b4' }, ...errors],
      bands: r.bands,
    });
    out.push({
      id: 'red-latency',
      x: r.seconds,
      xLabel: 'second of run',
      yLabel: 'latency',
      yLog: true,
      yValues: fmtMsAxis,
      lines: [
        { label: 'p50', values: r.p50, color: '#2ca02c' },
        { label: 'p90', values: r.p90, color: '#ff7f0e' },
        { label: 'p99', values: r.p99, color: '#d62728' },
      ],
      bands: r.bands,
      hLines: sloLine(d),
    });
  }
  (d.spectra ?? []).forEach((s, i) => {
    const curve = s.corrected ?? s.serviceTime;
    if (!curve) return;
    const lines: Line[] = [];
    if (s.corrected) lines.push({ label: 'corrected (from intended send)', values: s.corrected.ms, color: '#d62728', width: 2 });
    if (s.serviceTime)
      lines.push({ label: 'service time (from actual send)', values: s.serviceTime.ms, color: '#1f77b4', width: 2, dash: [6, 3] });
    // x is drawn as log10(1/(1−q)) on a linear scale: the same picture as a log axis, with exact percentile ticks.
    out.push({
      id: `spectrum-${i}`,
      x: curve.x.map((v) => Math.log10(v)),
      xLabel: 'percentile',
      yLabel: 'latency',
      yLog: true,
      xValues: (v) => percentileLabel(10 ** v),
      xSplits: [0, Math.log10(2), 1, 2, 3, 4],
      yValues: fmtMsAxis,
      lines,
      hLines: sloLine(d),
    });
  });
  if (d.capacity) {
    const c = d.capacity;
    const x = c.steps.map((s) => s.offeredRate ?? s.concurrency ?? 0);
    const cap = c.capacity;
    out.push({
      id: 'capacity-steps',
      x,
      xLabel: c.steps.some((s) => s.offeredRate !== null) ? 'offered req/s' : 'connections',
      yLabel: 'p99',
      y2Label: 'achieved req/s',
      yValues: fmtMsAxis,
      lines: [
        { label: 'p99', values: c.steps.map((s) => s.p99), color: '#d62728', width: 2 },
        { label: 'service-time p99', values: c.steps.map((s) => s.serviceP99), color: '#1f77b4', dash: [6, 3] },
        { label: 'achieved req/s', values: c.steps.map((s) => s.achievedRate), color: '#2ca02c', scale: 'y2', width: 2 },
      ],
      hLines: sloLine(d),
      vLines: cap
        ? [
            {
              value: cap.rate,
              label: `capacity ${Math.round(cap.rate)} req/s (${cap.limitedBy})`,
              color: '#2ca02c',
              from: cap.bracket[0],
              to: cap.bracket[1],
            },
          ]
        : [],
    });
    if (c.usl) {
      const u = c.usl;
      const pts = c.steps.filter((s) => s.concurrency !== null);
      const maxN = Math.max(...pts.map((s) => s.concurrency!), u.peakConcurrency ?? 0, 2) * 1.25;
      const xs = Array.from({ length: 60 }, (_, i) => 1 + ((maxN - 1) * i) / 59);
      const merged = [...new Set([...xs, ...pts.map((s) => s.concurrency!)])].sort((a, b) => a - b);
      const model = (n: number) => (u.lambda * n) / (1 + u.sigma * (n - 1) + u.kappa * n * (n - 1));
      const measured = new Map(pts.map((s) => [s.concurrency!, s.achievedRate]));
      out.push({
        id: 'capacity-usl',
        x: merged,
        xLabel: 'concurrency N',
        yLabel: 'throughput req/s',
        lines: [
          { label: 'USL fit', values: merged.map(model), color: '#9467bd', width: 2 },
          { label: 'measured', values: merged.map((n) => measured.get(n) ?? null), color: '#1f77b4', points: true },
        ],
        vLines: u.peakConcurrency ? [{ value: u.peakConcurrency, label: `knee N*=${u.peakConcurrency.toFixed(1)}`, color: '#9467bd' }] : [],
      });
    }
    if (c.steps.some((s) => s.cpu !== null)) {
      const steps = [...c.steps].filter((s) => s.achievedRate !== null).sort((a, b) => a.achievedRate! - b.achievedRate!);
      out.push({
        id: 'capacity-cpu',
        x: steps.map((s) => s.achievedRate!),
        xLabel: 'achieved req/s',
        yLabel: 'service CPU %',
        lines: [{ label: 'service CPU %', values: steps.map((s) => pct(s.cpu)), color: '#ff7f0e', width: 2 }],
        hLines:
          c.cpuBudget !== null
            ? [{ value: c.cpuBudget * 100, label: `CPU budget ${Math.round(c.cpuBudget * 100)}%`, color: '#d62728' }]
            : [],
        vLines:
          c.cpuBudgetCapacity !== null
            ? [{ value: c.cpuBudgetCapacity, label: `budget capacity ${Math.round(c.cpuBudgetCapacity)} req/s`, color: '#d62728' }]
            : [],
      });
    }
  }
  if (d.resources) {
    const r = d.resources;
    out.push({
      id: 'resources-cpu',
      x: r.seconds,
      xLabel: 'second of run',
      yLabel: '% ',
      bands: r.bands,
      height: 220,
      lines: [
        { label: 'service CPU %', values: r.cpu.map(pct), color: '#ff7f0e' },
        { label: 'event-loop utilisation %', values: r.elu.map(pct), color: '#9467bd' },
      ],
    });
    out.push({
      id: 'resources-memory',
      x: r.seconds,
      xLabel: 'second of run',
      yLabel: 'MB',
      bands: r.bands,
      height: 220,
      lines: [
        { label: 'RSS MB', values: r.rssMb, color: '#1f77b4' },
        { label: 'heap used MB', values: r.heapMb, color: '#2ca02c' },
      ],
    });
    out.push({
      id: 'resources-loop',
      x: r.seconds,
      xLabel: 'second of run',
      yLabel: 'ms',
      bands: r.bands,
      height: 220,
      lines: [
        { label: 'event-loop delay p99 ms', values: r.eventLoopDelayP99Ms, color: '#d62728' },
        { label: 'GC ms/s', values: r.gcMs, color: '#8c564b' },
      ],
    });
  }
  if (d.trend) {
    const t = d.trend;
    const xs = t.points.map((p) => Date.parse(p.time) / 1000);
    const f = t.forecast;
    const fx = f ? f.time.map((s) => Date.parse(s) / 1000) : [];
    const x = [...xs, ...fx];
    const pad = (v: (number | null)[], before: boolean) => (before ? [...xs.map(() => null), ...v] : [...v, ...fx.map(() => null)]);
    const lines: Line[] = [
      {
        label: t.metric,
        values: pad(
          t.points.map((p) => p.value),
          false,
        ),
        color: '#1f77b4',
        width: 2,
        markers: true,
      },
    ];
    if (f) {
      lines.push(
        { label: 'forecast', values: pad(f.value, true), color: '#9467bd', dash: [6, 3] },
        { label: 'forecast high', values: pad(f.high, true), color: 'rgba(148,103,189,0.4)' },
        { label: 'forecast low', values: pad(f.low, true), color: 'rgba(148,103,189,0.4)' },
      );
    }
    out.push({
      id: 'trend',
      x,
      xTime: true,
      xLabel: 'run time',
      yLabel: t.unit,
      lines,
      fills: f ? [{ upper: 2, lower: 3, color: 'rgba(148,103,189,0.15)' }] : [],
      hLines: t.budget !== null ? [{ value: t.budget, label: `budget ${t.budget}${t.unit === 'ms' ? ' ms' : ''}`, color: '#d62728' }] : [],
      vLines: t.changePoints.map((c) => ({
        value: xs[c.index] ?? 0,
        label: `${c.changePct > 0 ? '+' : ''}${c.changePct.toFixed(1)}%`,
        color: '#ff7f0e',
      })),
    });
  }
  return out;
}

function sloLine(d: ReportData): ChartSpec['hLines'] {
  const slo = d.slo?.p99 ?? d.capacity?.sloP99;
  return slo ? [{ value: slo, label: `SLO p99 ${fmtMsAxis(slo)}`, color: '#d62728' }] : [];
}
