/**
 * The forecast as GitHub-flavoured Markdown, for pull requests and CI step summaries: the
 * summary sentence first, then the compact history with change points in bold, the outlook
 * and the notes.
 */
import { allNotes, changeText, historyRows, outlookLines, timeFormatter } from './forecast-parts.ts';
import type { ForecastReportInput } from './forecast-parts.ts';
import { formatMetric } from './units.ts';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders a forecast as Markdown. */
export function formatForecastMarkdown(input: ForecastReportInput): string {
  const r = input.result;
  const when = timeFormatter(r.points);
  const fromRuns = input.runs !== undefined;
  const out = [`#### Forecast: ${cell(input.title)}`, '', `**${cell(r.summary)}**`, ''];
  if (r.points.length > 0) {
    out.push(`| i | time | sha |${fromRuns ? ' branch |' : ''} value | change |${fromRuns ? ' run |' : ''}`);
    out.push(`|---:|---|---|${fromRuns ? '---|' : ''}---:|---|${fromRuns ? '---|' : ''}`);
    for (const row of historyRows(input)) {
      if (row.kind === 'gap') {
        out.push(`| | … ${row.count} more | |${fromRuns ? ' |' : ''} | |${fromRuns ? ' |' : ''}`);
        continue;
      }
      const p = row.point;
      const change = row.change ? `**change ${cell(changeText(row.change, input.unit))}**` : '';
      const run = row.run
        ? `\`${row.run.id}\`${row.run.dirty ? ' dirty' : ''}${row.run.status !== 'completed' ? ` ${row.run.status}` : ''}`
        : '';
      out.push(
        `| ${row.index} | ${when(p.time)} | ${p.sha ? `\`${p.sha.slice(0, 7)}\`` : ''} |${fromRuns ? ` ${cell(row.run?.branch ?? '')} |` : ''} ${formatMetric(p.value, input.unit)} | ${change} |${fromRuns ? ` ${run} |` : ''}`,
      );
    }
    out.push('');
  }
  const outlook = outlookLines(input);
  if (outlook.length > 0) out.push(...outlook.map(([label, text]) => `- **${label}** ${cell(text)}`), '');
  const notes = allNotes(input);
  if (notes.length > 0) out.push(...notes.map((n) => `> ${cell(n)}`), '');
  return out.join('\n');
}
