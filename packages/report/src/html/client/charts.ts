/// <reference lib="dom" />
/**
 * The report's charts with uPlot (leeoniya/uPlot, the chart library of k6's web dashboard):
 * RED over time with phase bands, HdrHistogram's percentile spectrum on a 1/(1−q) log axis,
 * capacity steps, the USL curve, CPU against throughput, the service's resources and the trend.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSpec } from './chart-spec.ts';
import { registry } from './registry.ts';

export type { ChartSpec, Line } from './chart-spec.ts';

/** Line colours, in the order lines get them. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** True for 10^k: on a log axis only decades get a label, so labels never overlap. */
function isDecade(v: number): boolean {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-6;
}

function dpr(): number {
  return window.devicePixelRatio || 1;
}

function overlays(spec: ChartSpec): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const r = dpr();
          ctx.save();
          clipToPlot(u);
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          (spec.bands ?? []).forEach((b, i) => {
            const x0 = u.valToPos(b.from, 'x', true);
            const x1 = u.valToPos(b.to, 'x', true);
            ctx.fillStyle = i % 2 === 0 ? 'rgba(70,130,180,0.08)' : 'rgba(120,120,120,0.06)';
            ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            ctx.fillStyle = '#445';
            ctx.font = `${11 * r}px system-ui, sans-serif`;
            ctx.fillText(b.phase, x0 + 4 * r, u.bbox.top + 12 * r, Math.max(10, x1 - x0 - 8 * r));
          });
          for (const v of spec.vLines ?? []) {
            if (v.from === undefined || v.to === undefined) continue;
            const x0 = u.valToPos(v.from, 'x', true);
            const x1 = u.valToPos(v.to, 'x', true);
            ctx.fillStyle = 'rgba(44,160,44,0.12)';
            ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
          }
          ctx.restore();
        },
      ],
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const r = dpr();
          ctx.save();
          clipToPlot(u);
          // uPlot leaves its axis text alignment on the context; labels here start at their x.
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          ctx.font = `${11 * r}px system-ui, sans-serif`;
          ctx.setLineDash([6 * r, 4 * r]);
          ctx.lineWidth = 1.5 * r;
          for (const h of spec.hLines ?? []) {
            const y = u.valToPos(h.value, h.scale ?? 'y', true);
            if (!Number.isFinite(y) || y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
            ctx.strokeStyle = h.color;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.fillStyle = h.color;
            ctx.fillText(h.label, u.bbox.left + 6 * r, y - 4 * r);
          }
          for (const v of spec.vLines ?? []) {
            const x = u.valToPos(v.value, 'x', true);
            // A marker outside the drawn range (a capacity of 0, a budget beyond the last step) is told in the text, not drawn.
            if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = v.color;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillStyle = v.color;
            // Right of the line, or left of it where the label would run past the plot's right edge.
            const w = ctx.measureText(v.label).width;
            const right = x + 4 * r + w <= u.bbox.left + u.bbox.width;
            ctx.fillText(v.label, right ? x + 4 * r : Math.max(u.bbox.left, x - 4 * r - w), u.bbox.top + 26 * r);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** Limits drawing to the plot area: bands, lines and labels never spill over the axes. */
function clipToPlot(u: uPlot): void {
  u.ctx.beginPath();
  u.ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  u.ctx.clip();
}

function positive(values: (number | null)[], log: boolean | undefined): (number | null)[] {
  return log ? values.map((v) => (v !== null && v > 0 ? v : null)) : values;
}

/** Draws `spec` into `el` and records what it drew in the registry. */
export function drawChart(el: HTMLElement, spec: ChartSpec): uPlot {
  const width = Math.max(320, el.clientWidth || 600);
  const series: uPlot.Series[] = [
    { label: spec.xLabel, ...(spec.xValues ? { value: (_u: uPlot, v: number) => (v === null ? '–' : spec.xValues!(v)) } : {}) },
  ];
  spec.lines.forEach((l, i) => {
    const color = l.color ?? PALETTE[i % PALETTE.length]!;
    series.push({
      label: l.label,
      stroke: color,
      width: l.width ?? (l.points ? 0 : 1.5),
      scale: l.scale ?? 'y',
      ...(l.dash ? { dash: l.dash } : {}),
      ...(l.points
        ? { paths: () => null, points: { show: true, size: 7, stroke: color, fill: color } }
        : { points: { show: Boolean(l.markers), size: 7, stroke: color, fill: color } }),
      value: (_u: uPlot, v: number | null) =>
        v === null || v === undefined ? '–' : spec.yValues && (l.scale ?? 'y') === 'y' ? spec.yValues(v) : String(+v.toPrecision(4)),
    });
  });
  const scales: uPlot.Scales = {
    x: { time: Boolean(spec.xTime) },
    y: spec.yLog ? { distr: 3, log: 10 } : {},
  };
  const axes: uPlot.Axis[] = [
    {
      label: spec.xLabel,
      ...(spec.xValues ? { values: (_u: uPlot, splits: number[]) => splits.map((v) => spec.xValues!(v)) } : {}),
      ...(spec.xSplits ? { splits: () => spec.xSplits! } : {}),
    },
    {
      label: spec.yLabel,
      size: 60,
      ...(spec.yValues
        ? { values: (_u: uPlot, splits: number[]) => splits.map((v) => (spec.yLog && !isDecade(v) ? '' : spec.yValues!(v))) }
        : {}),
    },
  ];
  if (spec.y2Label) {
    scales['y2'] = {};
    axes.push({ label: spec.y2Label, scale: 'y2', side: 1, size: 60, grid: { show: false } });
  }
  const data = [spec.x, ...spec.lines.map((l) => positive(l.values, (l.scale ?? 'y') === 'y' && spec.yLog))] as uPlot.AlignedData;
  const bands = (spec.fills ?? []).map((f) => ({ series: [f.upper + 1, f.lower + 1] as [number, number], fill: f.color }));
  const u = new uPlot(
    {
      width,
      height: spec.height ?? 260,
      series,
      scales,
      axes,
      bands,
      plugins: [overlays(spec)],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    },
    data,
    el,
  );
  const counts: Record<string, number> = {};
  spec.lines.forEach((l, i) => {
    counts[l.label] = (data[i + 1] as (number | null)[]).filter((v) => v !== null && v !== undefined).length;
  });
  registry.charts[spec.id] = { points: spec.x.length, series: counts };
  return u;
}
