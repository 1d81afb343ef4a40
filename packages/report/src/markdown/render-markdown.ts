/**
 * `renderMarkdownReport`: the report's findings as Markdown for a pull request, a CI step
 * summary or a wiki: the summary sentence, identity, warnings, gates, phases (with a scripted
 * run's requests by name, flows and checks), capacity, the
 * hottest functions of each profile, the slowest requests and bench medians. No images.
 * User strings are escaped so they cannot break a table or inject markup.
 */
import {
  FLOW_DROPPED_NOTE,
  flowMessages,
  formatCheckRate,
  formatFlowFailed,
  formatNameErrors,
  partialPhases,
  showsNames,
} from '../scripted-summary.ts';
import { formatMs, formatCount } from '../units.ts';
import { nameLatencyCells } from '../scripted-summary.ts';
import type { FlameGraph, ReportData } from '../data/report-data.ts';
import { phasesSteal } from '../steal-line.ts';

/** Escapes Markdown (and the HTML GitHub renders inside it) in table cells and text. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]|<>&~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(/\r?\n/g, ' ');
}

const e = escapeMarkdown;
/** A code span in a table cell: backticks cannot close it and `|` cannot split the cell (GitHub reads `\|` there). */
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
const ms = (v: number | null) => (v === null ? '–' : formatMs(v));
const int = (v: number | null): string => formatCount(v, '–');

function table(head: string[], rows: string[][], right: number[] = []): string {
  const align = head.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The ten functions with the most self time (or bytes) of a flame graph, merged across stacks; `(idle)` is not a function. */
function hottest(g: FlameGraph, n = 10): string[][] {
  const self = new Map<number, number>();
  g.name.forEach((k, i) => {
    if (g.names[k] !== '(idle)') self.set(k, (self.get(k) ?? 0) + g.self[i]!);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => [code(g.names[k] ?? ''), e(g.files[k] ?? ''), `${((v / g.sum) * 100).toFixed(1)}%`]);
}

const PARTIAL = ' (partial: the run stopped while it ran)';

/** A scripted run's flows per phase with their kept failure messages, as the HTML report has them; none without flows. */
function flows(d: ReportData): string[] {
  const phases = (d.scripted ?? []).filter((p) => (p.flows?.length ?? 0) > 0);
  if (phases.length === 0) return [];
  const partial = partialPhases(d.phases ?? []);
  const out: string[] = ['### Flows', ''];
  for (const p of phases) {
    const fs = p.flows ?? [];
    const rows = fs.map((f) => [
      code(f.name),
      int(f.iterations),
      f.failed > 0 ? `**${formatFlowFailed(f)}**` : '0',
      int(f.dropped),
      ms(f.durationMs.p50),
      ms(f.durationMs.p99),
      ms(f.durationMs.max),
    ]);
    out.push(
      `**${e(p.phase)}**${partial.includes(p.phase) ? PARTIAL : ''}`,
      '',
      table(['flow', 'iterations', 'failed', 'dropped', 'p50', 'p99', 'max'], rows, [1, 2, 3, 4, 5, 6]),
      '',
    );
    const failures = fs.flatMap((f) => {
      const { messages, unlisted } = flowMessages(f);
      return [
        ...messages.map((m) => `- ${code(f.name)} ${int(m.count)}× ${e(m.message)}`),
        ...(unlisted > 0
          ? [`- ${code(f.name)} ${int(unlisted)}× with other messages (only the first distinct messages of a phase are kept)`]
          : []),
      ];
    });
    if (failures.length > 0) out.push('Failure messages (thrown by the flow), most frequent first:', '', ...failures, '');
  }
  for (const name of partial.filter((n) => !phases.some((p) => p.phase === n)))
    out.push(`${e(name)}${PARTIAL}: no flow figures; a phase's flows are stored when it ends.`, '');
  out.push(
    `An iteration is one run of a flow; failed: it threw, with its share of the iterations. Duration p50 / p99 / max from each iteration's intended start (an open phase's arrival time). ${e(FLOW_DROPPED_NOTE)}`,
    '',
  );
  return out;
}

/** A scripted run's requests by name (phases with several names, or flows), its flows and its checks, as the HTML report has them. */
function scripted(d: ReportData): string[] {
  const out: string[] = [];
  for (const p of (d.scripted ?? []).filter(showsNames)) {
    const rows = (p.requestsByName ?? []).map((n) => [
      code(n.name),
      int(n.requests),
      e(formatNameErrors(n)),
      ...nameLatencyCells(n).map((v) => (v === null ? '-' : ms(v))),
    ]);
    out.push(
      `### ${e(p.phase)} by request name`,
      '',
      table(['name', 'requests', 'errors', 'p50', 'p90', 'p99', 'max', 'service p50', 'service p99'], rows, [1, 2, 3, 4, 5, 6, 7, 8]),
      '',
    );
  }
  out.push(...flows(d));
  const checks = (d.scripted ?? []).flatMap((p) =>
    (p.checks ?? []).map((k) => [e(p.phase), e(k.name), int(k.passes), int(k.fails), `${k.fails > 0 ? '❌' : '✅'} ${formatCheckRate(k)}`]),
  );
  if (checks.length > 0) out.push('### Checks', '', table(['phase', 'check', 'passes', 'fails', 'rate'], checks, [2, 3, 4]), '');
  return out;
}

/** The report as Markdown. */
export function renderMarkdownReport(d: ReportData): string {
  const r = d.run;
  const out: string[] = [`## headroom report: ${e(r.scenario)} (${e(r.id)})`, ''];
  if (d.summary) out.push(`**${e(d.summary)}**`, '');
  const sha = r.gitSha ? `${r.gitSha.slice(0, 12)}${r.gitDirty ? ' (dirty)' : ''}` : '–';
  out.push(
    `Status **${e(r.status)}**${r.gates ? `, gates ${e(r.gates)}` : ''} · git ${e(sha)} · ${e(r.host ?? '–')}, ${e(r.cpuModel ?? '–')}${r.cpuCount ? ` × ${r.cpuCount}` : ''} · Node ${e(r.nodeVersion ?? '–')} · service CPUs ${e((r.serviceCpus ?? []).join(',') || '–')}, generator CPUs ${e((r.workerCpus ?? []).join(',') || '–')}${d.pinning?.length ? ` · pinning ${d.pinning.every((p) => p.verified) ? 'verified' : '**not verified**'}` : ''}`,
    '',
  );
  if (r.error) out.push(`**Error:** ${e(r.error)}`, '');
  if (d.warnings?.length) out.push('### Warnings', '', ...d.warnings.map((w) => `- ${e(w)}`), '');
  if (d.gates?.length) {
    out.push(
      '### Gates',
      '',
      table(
        ['gate', 'limit', 'value', 'verdict'],
        d.gates.map((g) => [
          code(g.key),
          e(g.expression),
          g.value === null ? '–' : String(+g.value.toPrecision(4)),
          g.passed ? '✅ pass' : '❌ **fail**',
        ]),
      ),
      '',
    );
  }
  if (d.phases?.length) {
    out.push(
      '### Phases',
      '',
      table(
        ['phase', 'offered', 'achieved', 'requests', 'errors', 'p50', 'p90', 'p99', 'p99.9', 'max', 'service p99'],
        d.phases.map((p) => [
          e(p.name) + (p.warmup ? ' (warm-up)' : '') + (p.partial ? ' (partial: the run stopped while it ran)' : ''),
          p.offeredRate === null ? e(p.model ?? '–') : `${int(p.offeredRate)}/s`,
          `${int(p.achievedRate)}/s`,
          int(p.requests),
          int(p.errors),
          ms(p.latency.p50),
          ms(p.latency.p90),
          ms(p.latency.p99),
          ms(p.latency.p999),
          ms(p.latency.max),
          ms(p.serviceTime.p99),
        ]),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      ),
      '',
      "Latency from each request's intended send time (coordinated omission corrected); service time from the actual send.",
      '',
    );
    const stolen = phasesSteal(d.phases);
    if (stolen !== null) out.push(e(stolen), '');
  }
  out.push(...scripted(d));
  if (d.capacity) {
    const c = d.capacity;
    out.push('### Capacity', '');
    if (c.capacity)
      out.push(
        `SLO-bounded capacity **${int(c.capacity.rate)} req/s** (bracket ${int(c.capacity.bracket[0])} … ${int(c.capacity.bracket[1])}), limited by ${e(c.capacity.limitedBy)}.`,
        '',
      );
    if (c.headroom !== null)
      out.push(
        `Headroom **${c.headroom.toFixed(2)}×** over the expected peak${c.expectedPeak ? ` of ${int(c.expectedPeak)} req/s` : ''}.`,
        '',
      );
    out.push(
      table(
        ['step', 'offered', 'achieved', 'p99', 'service p99', 'errors', 'service CPU'],
        c.steps.map((s) => [
          e(s.cutShort ? `${s.phase} (cut short)` : s.phase),
          s.offeredRate === null ? String(s.concurrency ?? '–') : int(s.offeredRate),
          int(s.achievedRate),
          ms(s.p99),
          ms(s.serviceP99),
          s.errorRate === null ? '–' : `${(s.errorRate * 100).toFixed(2)}%`,
          s.cpu === null ? '–' : `${(s.cpu * 100).toFixed(0)}%`,
        ]),
        [1, 2, 3, 4, 5, 6],
      ),
      '',
    );
  }
  if (d.trend) {
    const t = d.trend;
    const first = t.points[0]!,
      last = t.points[t.points.length - 1]!;
    out.push(
      '### Trend',
      '',
      t.summary
        ? e(t.summary)
        : `${e(t.metric)} went from ${+first.value.toPrecision(4)} ${e(t.unit)} (${e(first.sha ?? first.runId)}) to ${+last.value.toPrecision(4)} ${e(t.unit)} (${e(last.sha ?? last.runId)}) over ${t.points.length} runs.`,
      '',
    );
  }
  for (const g of (d.flameGraphs ?? []).filter((x) => !x.baseline)) {
    const rows = hottest(g);
    const idle = g.name.reduce((a, k, i) => a + (g.names[k] === '(idle)' ? g.self[i]! : 0), 0);
    // A wall profile's (idle) is time with no JavaScript on the thread; a cpu profile's is real CPU no function can be given (native I/O work).
    const what = g.type === 'wall' ? 'time with no JavaScript on the main thread' : 'CPU spent outside any function, e.g. native I/O work';
    const note =
      idle > 0
        ? ` ((idle), ${what}, is ${((idle / g.sum) * 100).toFixed(1)}% of the total and left out; shares are of the whole profile)`
        : '';
    if (rows.length)
      out.push(
        `### Hottest functions: ${e(g.type)} profile · ${e(g.title)}${note}`,
        '',
        table(['function', 'file', 'self'], rows, [2]),
        '',
      );
  }
  if (d.slowRequests?.length) {
    out.push(
      '### Slowest traced requests',
      '',
      table(
        ['latency', 'request', 'phase', 'status', 'trace', 'spans'],
        d.slowRequests.map((s) => [
          ms(s.latencyMs),
          e(s.request),
          e(s.phase ?? '–'),
          e(s.error ?? String(s.status ?? '–')),
          code(s.traceId),
          String(s.spans.length),
        ]),
        [0, 5],
      ),
      '',
    );
  }
  if (d.bench?.length) {
    out.push(
      '### Benchmarks',
      '',
      table(
        ['task', 'runs', 'median', '95% CI', 'vs baseline'],
        d.bench.map((b) => [
          e(b.task),
          String(b.repetitions),
          `${+b.medianNs.toPrecision(4)} ns`,
          b.ci ? `${+b.ci.low.toPrecision(4)} … ${+b.ci.high.toPrecision(4)} ns` : e(b.note ?? '–'),
          b.baseline
            ? b.baseline.significant
              ? `${b.baseline.deltaPct > 0 ? '+' : ''}${b.baseline.deltaPct.toFixed(1)}% (p=${b.baseline.p?.toFixed(3)})`
              : '~'
            : '–',
        ]),
        [1, 2],
      ),
      '',
    );
  }
  return out.join('\n');
}
