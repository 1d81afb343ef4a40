/// <reference lib="dom" />
/**
 * The report page's script: reads the embedded data, draws each chart into its container,
 * mounts the flame graphs and waterfalls, and records what it drew in `window.__headroomReport`.
 */
import type { ReportData } from '../../data/report-data.ts';
import { drawChart } from './charts.ts';
import { mountFlame } from './flame.ts';
import { registry } from './registry.ts';
import { chartSpecs } from './specs.ts';
import { mountWaterfall } from './waterfall.ts';

function main(): void {
  const el = document.getElementById('headroom-data');
  if (!el) return;
  const data = JSON.parse(el.textContent ?? '{}') as ReportData;
  for (const spec of chartSpecs(data)) {
    const box = document.querySelector<HTMLElement>(`[data-chart="${spec.id}"]`);
    if (!box) {
      registry.errors.push(`no container for chart ${spec.id}`);
      continue;
    }
    try {
      drawChart(box, spec);
    } catch (err) {
      registry.errors.push(`${spec.id}: ${String(err)}`);
    }
  }
  for (const g of data.flameGraphs ?? []) {
    const box = document.querySelector<HTMLElement>(`[data-flame="${g.id}"]`);
    if (box) mountFlame(box, g);
  }
  (data.slowRequests ?? []).forEach((r, i) => {
    const box = document.querySelector<HTMLElement>(`[data-waterfall="${i}"]`);
    if (box) mountWaterfall(box, r, `waterfall-${i}`);
  });
  registry.ready = true;
}

main();
