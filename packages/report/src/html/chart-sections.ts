/**
 * The report's drawn sections as containers: RED over time, latency spectra, capacity, the
 * service's resources, the trend, flame graphs, slowest requests and bench results. The page's
 * script draws into each container; which charts exist comes from `chartSpecs`, shared with it.
 */
import { formatMs } from '../units.ts';
import type { ReportData } from '../data/report-data.ts';
import { chartSpecs } from './client/specs.ts';
import { html, type SafeHtml } from './escape.ts';
import { phasesTable, section } from './run-sections.ts';
import { checksSection, flowsSection, requestsByNameSection } from './scripted-sections.ts';

function chart(id: string, title: string): SafeHtml {
  return html`<div><h3>${title}</h3><div class="chart" data-chart="${id}"></div></div>`;
}

/** Sections with charts, in page order, each only when its data exists; a scripted run's requests by name, flows and checks follow the phases table. */
export function chartSections(d: ReportData): SafeHtml[] {
  const ids = new Set(chartSpecs(d).map((s) => s.id));
  const out: SafeHtml[] = [];
  if (ids.has('red-rate') || d.phases?.length) {
    out.push(
      section('red', 'Requests, errors and duration over time', [
        phasesTable(d) ?? html``,
        ids.has('red-rate') ? chart('red-rate', 'Throughput and errors per second (phases shaded)') : html``,
        ids.has('red-latency') ? chart('red-latency', 'Latency percentiles per second (log scale)') : html``,
      ]),
    );
  }
  for (const s of [requestsByNameSection(d), flowsSection(d), checksSection(d)]) if (s !== null) out.push(s);
  const spectra = (d.spectra ?? []).map((s, i) => ({ s, id: `spectrum-${i}` })).filter((x) => ids.has(x.id));
  if (spectra.length) {
    out.push(
      section('spectrum', 'Latency percentile spectrum', [
        html`<p class="note">HdrHistogram's percentile plot: x is 1/(1−q) on a log scale, so p90, p99, p99.9 and p99.99 are evenly spaced. The gap between the corrected curve (from each request's intended send) and service time (from its actual send) is coordinated omission: time requests spent waiting to be sent.</p>`,
        html`<div class="grid2">${spectra.map((x) => chart(x.id, `${x.s.phase}${x.s.corrected ? ` · ${x.s.corrected.count.toLocaleString('en-US')} requests` : ''}`))}</div>`,
      ]),
    );
  }
  if (d.capacity) out.push(capacitySection(d, ids));
  if (ids.has('resources-cpu')) {
    out.push(
      section(
        'resources',
        "The service's resources",
        html`<div class="grid3">${chart('resources-cpu', 'CPU and event-loop utilisation')}${chart('resources-memory', 'Memory')}${chart('resources-loop', 'Event-loop delay and GC')}</div>`,
      ),
    );
  }
  if (d.trend && ids.has('trend')) {
    out.push(
      section('trend', `Trend: ${d.trend.metric}`, [
        d.trend.summary ? html`<p class="summary">${d.trend.summary}</p>` : html``,
        chart('trend', `${d.trend.points.length} runs of ${d.run.scenario}${d.trend.forecast ? ', with forecast and interval' : ''}`),
      ]),
    );
  }
  return out;
}

function capacitySection(d: ReportData, ids: Set<string>): SafeHtml {
  const c = d.capacity!;
  const facts: string[] = [];
  if (c.capacity)
    facts.push(
      `SLO-bounded capacity ${Math.round(c.capacity.rate)} req/s (between ${Math.round(c.capacity.bracket[0])} and ${Math.round(c.capacity.bracket[1])}), limited by ${c.capacity.limitedBy}`,
    );
  if (c.cpuBudgetCapacity !== null) facts.push(`CPU-budget capacity ${Math.round(c.cpuBudgetCapacity)} req/s`);
  if (c.headroom !== null)
    facts.push(`headroom ${c.headroom.toFixed(2)}× over the expected peak${c.expectedPeak ? ` of ${c.expectedPeak} req/s` : ''}`);
  if (c.usl)
    facts.push(
      `USL σ=${c.usl.sigma.toPrecision(3)}, κ=${c.usl.kappa.toPrecision(3)}, λ=${c.usl.lambda.toPrecision(4)}${c.usl.r2 !== null ? `, R²=${c.usl.r2.toFixed(3)}` : ''}`,
    );
  return section('capacity', 'Capacity', [
    facts.length ? html`<p class="summary">${facts.join('; ')}.</p>` : html``,
    html`<table><thead><tr><th>step</th><th class="num">offered</th><th class="num">achieved</th><th class="num">p99</th><th class="num">svc p99</th><th class="num">errors</th><th class="num">service CPU</th></tr></thead><tbody>
${c.steps.map((s) => html`<tr><td>${s.phase}${s.cutShort ? ' (cut short)' : ''}</td><td class="num">${s.offeredRate === null ? (s.concurrency ?? '–') : Math.round(s.offeredRate)}</td><td class="num">${s.achievedRate === null ? '–' : Math.round(s.achievedRate)}</td><td class="num">${s.p99 === null ? '–' : formatMs(s.p99)}</td><td class="num">${s.serviceP99 === null ? '–' : formatMs(s.serviceP99)}</td><td class="num">${s.errorRate === null ? '–' : `${(s.errorRate * 100).toFixed(2)}%`}</td><td class="num">${s.cpu === null ? '–' : `${(s.cpu * 100).toFixed(0)}%`}</td></tr>`)}
</tbody></table>`,
    html`<div class="grid2">${ids.has('capacity-steps') ? chart('capacity-steps', 'p99 and throughput against offered load') : ''}${ids.has('capacity-usl') ? chart('capacity-usl', 'Universal Scalability Law fit') : ''}${ids.has('capacity-cpu') ? chart('capacity-cpu', 'Service CPU against throughput') : ''}</div>`,
  ]);
}

/** Flame graphs, the slowest requests and the bench results. */
export function detailSections(d: ReportData): SafeHtml[] {
  const out: SafeHtml[] = [];
  const graphs = d.flameGraphs ?? [];
  if (graphs.length) {
    out.push(
      section('flames', 'Flame graphs', [
        html`<p class="note">Click a frame to zoom into it, click an ancestor or "Reset zoom" to zoom out; search highlights matching functions and gives their share of the total; hover for self and total.</p>`,
        graphs.map(
          (g) =>
            html`<div id="${g.id}"><h3>${g.type === 'heap' ? 'in-use memory' : g.type} profile · ${g.title}${g.baseline ? html` <span class="legend-diff"><span class="diff-up">share grew (slower)</span><span class="diff-down">share shrank (faster)</span></span>` : ''}</h3><div class="flame" data-flame="${g.id}"></div></div>`,
        ),
      ]),
    );
  }
  if (d.slowRequests?.length) {
    const link = d.slowRequestsFlameId
      ? html`<p class="note">The CPU samples taken while these requests' spans ran: <a href="#${d.slowRequestsFlameId}">flame graph of the slowest requests</a>.</p>`
      : html``;
    out.push(
      section('traces', 'Slowest traced requests', [
        link,
        d.slowRequests.map(
          (r, i) =>
            html`<details class="req"${i < 3 ? html` open` : ''}><summary><b>${formatMs(r.latencyMs)}</b> · <code>${r.request}</code> · ${r.phase ?? 'no phase'} · ${r.error ?? (r.status === null ? '' : `status ${r.status}`)} · trace <code>${r.traceId}</code> · ${r.spans.length} span${r.spans.length === 1 ? '' : 's'}</summary><div class="wf" data-waterfall="${i}"></div></details>`,
        ),
      ]),
    );
  }
  if (d.bench?.length) {
    const base = d.bench.some((b) => b.baseline !== undefined);
    out.push(
      section(
        'bench',
        'Benchmarks',
        html`<table><thead><tr><th>task</th><th class="num">runs</th><th class="num">median</th><th class="num">95% CI</th>${base ? html`<th class="num">baseline</th><th class="num">change</th><th class="num">p</th>` : ''}</tr></thead><tbody>
${d.bench.map((b) => html`<tr><td>${b.task}</td><td class="num">${b.repetitions}</td><td class="num">${fmtNs(b.medianNs)}</td><td class="num">${b.ci ? `${fmtNs(b.ci.low)} … ${fmtNs(b.ci.high)}` : (b.note ?? '–')}</td>${base ? (b.baseline ? html`<td class="num">${fmtNs(b.baseline.medianNs)}</td><td class="num ${b.baseline.significant ? (b.baseline.deltaPct > 0 ? 'fail' : 'pass') : ''}">${b.baseline.significant ? `${b.baseline.deltaPct > 0 ? '+' : ''}${b.baseline.deltaPct.toFixed(1)}%` : '~'}</td><td class="num">${b.baseline.p === null ? '–' : b.baseline.p.toFixed(3)}</td>` : html`<td colspan="3">not in baseline</td>`) : ''}</tr>`)}
</tbody></table>`,
      ),
    );
  }
  return out;
}

function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  if (ns < 1000) return `${ns.toPrecision(3)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toPrecision(3)} µs`;
  return formatMs(ns / 1e6);
}
