/**
 * The report's tabular sections as markup: the run's identity and pinning, its warnings, its
 * gates, and the phases table. Every value goes through `html`, which escapes it.
 */
import { formatMs, formatCount } from '../units.ts';
import type { ReportData, ReportLatency } from '../data/report-data.ts';
import { html, type Interpolation, type SafeHtml } from './escape.ts';
import { phasesSteal } from '../steal-line.ts';

const ms = (v: number | null) => (v === null ? '–' : formatMs(v));
const int = (v: number | null): string => formatCount(v, '–');
const cpus = (v: number[] | null) => (v === null || v.length === 0 ? '–' : v.join(','));

/** A section with an anchor for the navigation bar. */
export function section(id: string, title: string, body: Interpolation): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

/** The summary, the run's identity and its verified pinning. */
export function identitySection(d: ReportData): SafeHtml {
  const r = d.run;
  const sha = r.gitSha ? `${r.gitSha.slice(0, 12)}${r.gitDirty ? ' (dirty tree)' : ''}` : '–';
  const items: [string, string][] = [
    ['scenario', r.scenario],
    ['run', r.id],
    ['status', r.status + (r.gates ? `, gates ${r.gates}` : '')],
    ['kind', r.kind],
    ['started', r.startedAt ?? '–'],
    ['duration', r.durationS === null ? '–' : `${r.durationS.toFixed(1)} s`],
    ['git', sha],
    ['headroom', r.version ?? '–'],
    ['host', r.host ?? '–'],
    ['CPU', `${r.cpuModel ?? '–'}${r.cpuCount ? ` × ${r.cpuCount}` : ''}`],
    ['Node', r.nodeVersion ?? '–'],
    [
      'CPU sets',
      r.kind === 'bench' ? `bench workers ${cpus(r.workerCpus)}` : `service ${cpus(r.serviceCpus)} · generator ${cpus(r.workerCpus)}`,
    ],
  ];
  if (d.baselineRunId) items.push(['baseline', d.baselineRunId]);
  const pins = d.pinning ?? [];
  const table = html`<table><thead><tr><th>process</th><th class="num">pid</th><th>requested</th><th>allowed</th><th>verified</th></tr></thead><tbody>
${pins.map((p) => html`<tr><td>${p.role}</td><td class="num">${p.pid}</td><td>${p.requested.join(',')}</td><td>${p.allowed.join(',')}</td><td class="${p.verified ? 'pass' : 'fail'}">${p.verified ? 'yes' : 'NO'}</td></tr>`)}
</tbody></table>`;
  const unverified = pins.filter((p) => !p.verified).length;
  // Bench runs pin a fresh process per repetition: dozens of rows say less than one line.
  const pin =
    pins.length === 0
      ? html``
      : pins.length <= 6
        ? html`<h3>Pinning (verified from the kernel's allowed CPU lists)</h3>${table}`
        : html`<h3>Pinning</h3><details><summary>${pins.length} processes, ${unverified === 0 ? 'all verified' : `${unverified} NOT verified`}</summary>${table}</details>`;
  return section('run', 'Run', [
    d.summary ? html`<p class="summary">${d.summary}</p>` : html``,
    html`<dl class="identity">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`,
    r.error ? html`<p class="fail">error: ${r.error}</p>` : html``,
    pin,
  ]);
}

/** The run's warnings; null when there are none. */
export function warningsSection(d: ReportData): SafeHtml | null {
  if (!d.warnings?.length) return null;
  const list = (ws: string[]) => html`<ul class="warnings">${ws.map((w) => html`<li>${w}</li>`)}</ul>`;
  const shown = 5;
  if (d.warnings.length <= shown + 1) return section('warnings', `Warnings (${d.warnings.length})`, list(d.warnings));
  return section('warnings', `Warnings (${d.warnings.length})`, [
    list(d.warnings.slice(0, shown)),
    html`<details><summary>${d.warnings.length - shown} more</summary>${list(d.warnings.slice(shown))}</details>`,
  ]);
}

/** Gates with limit, value and verdict; null when none ran. */
export function gatesSection(d: ReportData): SafeHtml | null {
  if (!d.gates?.length) return null;
  return section(
    'gates',
    'Gates',
    html`<table><thead><tr><th>gate</th><th>limit</th><th class="num">value</th><th>verdict</th><th>note</th></tr></thead><tbody>
${d.gates.map((g) => html`<tr><td><code>${g.key}</code></td><td><code>${g.expression}</code></td><td class="num">${g.value === null ? '–' : +g.value.toPrecision(4)}</td><td class="${g.passed ? 'pass' : 'fail'}">${g.passed ? 'pass' : 'FAIL'}</td><td>${g.reason ?? ''}</td></tr>`)}
</tbody></table>`,
  );
}

function lat(l: ReportLatency): SafeHtml[] {
  return [l.p50, l.p90, l.p99, l.p999, l.max].map((v) => html`<td class="num">${ms(v)}</td>`);
}

/** The phases table; null without phases. */
export function phasesTable(d: ReportData): SafeHtml | null {
  if (!d.phases?.length) return null;
  const stolen = phasesSteal(d.phases);
  return html`<table><thead><tr><th>phase</th><th class="num">offered</th><th class="num">achieved</th><th class="num">requests</th><th class="num">errors</th><th class="num">late sends</th>
<th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">svc p99</th></tr></thead><tbody>
${d.phases.map(
  (
    p,
  ) => html`<tr><td>${p.name}${p.warmup ? ' (warm-up)' : ''}${p.partial ? ' (partial: the run stopped while it ran)' : ''}</td><td class="num">${p.offeredRate === null ? (p.model ?? '–') : `${int(p.offeredRate)}/s`}</td>
<td class="num">${int(p.achievedRate)}/s</td><td class="num">${int(p.requests)}</td><td class="num">${int(p.errors)}${
    Object.keys(p.errorsByKind).length
      ? html` <span title="${JSON.stringify(p.errorsByKind)}">(${Object.entries(p.errorsByKind)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})</span>`
      : ''
  }</td>
<td class="num">${int(p.lateSends)}</td>${lat(p.latency)}<td class="num">${ms(p.serviceTime.p99)}</td></tr>`,
)}
</tbody></table><p class="note">Latency from each request's intended send time (coordinated omission corrected); "svc p99" is the service time from the actual send.</p>${
    stolen === null ? '' : html`<p class="note" data-steal>${stolen}</p>`
  }`;
}
