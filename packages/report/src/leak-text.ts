/**
 * Leak and drift within one run (`headroom forecast --leak <run>`): the slope of the service's
 * RSS and heap over a phase with its interval, and the verdict, as text or Markdown.
 */
import type { LeakVerdict } from '@headroom/analysis';

/** What a leak report shows. */
export interface LeakReportInput {
  runId: string;
  phase: string;
  durationS: number;
  /** One verdict per memory series: 'RSS', 'heap used'. */
  series: Array<{ name: string; verdict: LeakVerdict | null }>;
  /** Caveats, e.g. a phase too short to tell a leak from warm-up growth. */
  notes?: readonly string[];
}

function verdictText(v: LeakVerdict | null): string {
  if (v === null) return 'no samples (the run had no runtime metrics: set service.capture)';
  if (v.status === 'too-few-samples')
    return `too few samples for an interval (${v.n}, effectively ${v.effectiveN.toFixed(1)}; ${v.needed} needed)`;
  const slope = `${v.mbPerHour >= 0 ? '+' : ''}${v.mbPerHour.toFixed(2)} MB/hour (${Number((v.level * 100).toPrecision(3))}%: ${v.low.toFixed(2)} … ${v.high.toFixed(2)})`;
  return `${slope} — ${v.status === 'suspected-leak' ? 'SUSPECTED LEAK' : 'no leak shown'}`;
}

/** Renders the leak report; `markdown` for PRs and CI step summaries. */
export function formatLeakReport(input: LeakReportInput, options: { markdown?: boolean } = {}): string {
  const head = `run ${input.runId}, phase ${input.phase} (${Math.round(input.durationS)}s)`;
  const fitted = input.series.flatMap((s) => (s.verdict && s.verdict.status !== 'too-few-samples' ? [s.verdict] : []));
  const fit = fitted[0];
  const points =
    fit === undefined ? 'OLS' : fit.samples > fit.n ? `OLS on ${fit.n} block means of ${fit.samples} samples` : `OLS on ${fit.n} samples`;
  const footer = `Slope of memory over time (${points}, interval widened for autocorrelation); a leak is an interval above 0 and at least 1 MB/hour.`;
  if (options.markdown) {
    return [
      `#### Memory drift: ${head}`,
      '',
      '| series | slope and verdict |',
      '|---|---|',
      ...input.series.map((s) => `| ${s.name} | ${verdictText(s.verdict)} |`),
      '',
      ...(input.notes ?? []).map((n) => `> ${n}`),
      footer,
      '',
    ].join('\n');
  }
  const width = Math.max(...input.series.map((s) => s.name.length));
  return [
    head,
    ...input.series.map((s) => `  ${s.name.padEnd(width)}  ${verdictText(s.verdict)}`),
    '',
    ...(input.notes ?? []).map((n) => `note: ${n}`),
    footer,
  ].join('\n');
}
