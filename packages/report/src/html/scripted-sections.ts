/**
 * The report's sections of a scripted run: per phase the table by request name and the flows'
 * iterations, and the checks' pass rates. Cells are formatted as the terminal summary formats them.
 */
import type { ReportData } from '../data/report-data.ts';
import {
  FLOW_DROPPED_NOTE,
  flowMessages,
  formatCheckRate,
  formatFlowFailed,
  formatNameErrors,
  partialPhases,
  showsNames,
} from '../scripted-summary.ts';
import { formatCount, formatMs } from '../units.ts';
import { nameLatencyCells } from '../scripted-summary.ts';
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
    html`<tr><td><code>${n.name}</code></td>${num(formatCount(n.requests, '–'))}<td class="num${n.errors > 0 ? ' fail' : ''}">${formatNameErrors(n)}</td>${nameLatencyCells(n).map((v) => num(v === null ? '–' : formatMs(v)))}</tr>`,
)}
</tbody></table>`,
    ),
    html`<p class="note">A request's name is its <code>name</code>, else its method and path template; the names of a phase add up to its row in the phases table. Latency from the intended send time; "svc" is the service time from the actual send.</p>`,
  ]);
}

/** How the phases table marks a phase the run never finished. */
const PARTIAL = ' (partial: the run stopped while it ran)';

/**
 * Flow iterations per phase: one row per flow, the kept failure messages under each table; null
 * when the run has no flows. A partial phase is marked; one with no flow rows (they are stored
 * when a phase ends) is named under the tables, so its absence is not read as "no iterations".
 */
export function flowsSection(d: ReportData): SafeHtml | null {
  const phases = (d.scripted ?? []).filter((p) => (p.flows?.length ?? 0) > 0);
  if (phases.length === 0) return null;
  const partial = partialPhases(d.phases ?? []);
  const missing = partial.filter((name) => !phases.some((p) => p.phase === name));
  const num = (v: string, cls = '') => html`<td class="num${cls}">${v}</td>`;
  return section('flows', 'Flows', [
    phases.map((p) => {
      const flows = p.flows ?? [];
      const failures = flows.flatMap((f) => {
        const { messages, unlisted } = flowMessages(f);
        return [
          ...messages.map(
            (m) =>
              html`<li data-flow="${f.name}"><code>${f.name}</code> <b>${formatCount(m.count, '–')}×</b> <span class="msg">${m.message}</span></li>`,
          ),
          unlisted > 0
            ? html`<li data-flow="${f.name}"><code>${f.name}</code> <b>${formatCount(unlisted, '–')}×</b> with other messages (only the first distinct messages of a phase are kept)</li>`
            : html``,
        ];
      });
      return html`<h3>${p.phase}${partial.includes(p.phase) ? PARTIAL : ''}</h3><table data-phase="${p.phase}"><thead><tr><th>flow</th><th class="num">iterations</th><th class="num">failed</th><th class="num">dropped</th>
<th class="num">p50</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>
${flows.map(
  (f) =>
    html`<tr><td><code>${f.name}</code></td>${num(formatCount(f.iterations, '–'))}${num(formatFlowFailed(f), f.failed > 0 ? ' fail' : '')}${num(formatCount(f.dropped, '–'), f.dropped > 0 ? ' warn' : '')}${[
      f.durationMs.p50,
      f.durationMs.p99,
      f.durationMs.max,
    ].map((v) => num(formatMs(v)))}</tr>`,
)}
</tbody></table>${failures.length > 0 ? html`<p class="note">Failure messages (thrown by the flow), most frequent first:</p><ul class="messages" data-phase="${p.phase}">${failures}</ul>` : ''}`;
    }),
    missing.map(
      (name) =>
        html`<p class="note" data-partial="${name}">${name}${PARTIAL}: no flow figures; a phase's flows are stored when it ends.</p>`,
    ),
    html`<p class="note">An iteration is one run of a flow; failed: it threw, with its share of the iterations. Duration p50 / p99 / max from each iteration's intended start (an open phase's arrival time). ${FLOW_DROPPED_NOTE}</p>`,
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
