/**
 * The report's sections of a scripted run: per phase the table by request name, and the checks'
 * pass rates. Cells are formatted as the terminal summary formats them.
 */
import type { ReportData } from '../data/report-data.ts';
import { formatCheckRate, formatNameErrors, showsNames } from '../scripted-summary.ts';
import { formatCount, formatMs } from '../units.ts';
import { html, type SafeHtml } from './escape.ts';
import { section } from './run-sections.ts';

/** Requests by name, one table per phase that has several names (or flows); null when none has. */
export function requestsByNameSection(d: ReportData): SafeHtml | null {
  const phases = (d.scripted ?? []).filter(showsNames);
  if (phases.length === 0) return null;
  const num = (v: string) => html`<td class="num">${v}</td>`;
  return section('requests', 'Requests by name', [
    phases.map(
      (
        p,
      ) => html`<h3>${p.phase}</h3><table data-phase="${p.phase}"><thead><tr><th>name</th><th class="num">requests</th><th class="num">errors</th>
<th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">max</th><th class="num">svc p50</th><th class="num">svc p99</th></tr></thead><tbody>
${(p.requestsByName ?? []).map(
  (n) =>
    html`<tr><td><code>${n.name}</code></td>${num(formatCount(n.requests, '–'))}<td class="num${n.errors > 0 ? ' fail' : ''}">${formatNameErrors(n)}</td>${[
      n.latencyMs.p50,
      n.latencyMs.p90,
      n.latencyMs.p99,
      n.latencyMs.max,
      n.serviceTimeMs.p50,
      n.serviceTimeMs.p99,
    ].map((v) => num(formatMs(v)))}</tr>`,
)}
</tbody></table>`,
    ),
    html`<p class="note">A request's name is its <code>name</code>, else its method and path template; the names of a phase add up to its row in the phases table. Latency from the intended send time; "svc" is the service time from the actual send.</p>`,
  ]);
}

/** Check pass rates per phase; null when the run has no checks. */
export function checksSection(d: ReportData): SafeHtml | null {
  const rows = (d.scripted ?? []).flatMap((p) => (p.checks ?? []).map((k) => ({ phase: p.phase, ...k })));
  if (rows.length === 0) return null;
  return section(
    'checks',
    'Checks',
    html`<table><thead><tr><th>phase</th><th>check</th><th class="num">passes</th><th class="num">fails</th><th class="num">rate</th></tr></thead><tbody>
${rows.map((k) => html`<tr><td>${k.phase}</td><td>${k.name}</td><td class="num">${formatCount(k.passes, '–')}</td><td class="num${k.fails > 0 ? ' fail' : ''}">${formatCount(k.fails, '–')}</td><td class="num ${k.fails > 0 ? 'fail' : 'pass'}">${formatCheckRate(k)}</td></tr>`)}
</tbody></table><p class="note">A failed check is not a request error.</p>`,
  );
}
