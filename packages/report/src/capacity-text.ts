/** `headroom capacity` for the terminal: the step table, then each capacity figure on its own line. */
import type { CapacityJson } from './capacity-json.ts';
import { formatTable, painter } from './table.ts';
import { formatMs, formatPercent, formatRate } from './units.ts';

/** Options of {@link formatCapacityText}. */
export interface FormatCapacityOptions {
  /** ANSI colours. @default false */
  color?: boolean;
}

const num = (v: number, digits = 3) => Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 12 });
const ms = (v: number | null) => (v === null ? '-' : formatMs(v));
const rate = (v: number | null) => (v === null ? '-' : formatRate(v));

/** Renders a capacity result. */
export function formatCapacityText(j: CapacityJson, options: FormatCapacityOptions = {}): string {
  const paint = painter(options.color ?? false);
  const out: string[] = [];
  out.push(
    paint('bold', j.runId ? `capacity of run ${j.runId} (${j.source}${j.phase ? `, phase ${j.phase}` : ''})` : `capacity of ${j.source}`),
    '',
  );
  out.push(
    formatTable(
      ['step', 'offered', 'achieved', 'N', 'p50', 'p99', 'svc p50', 'svc p99', 'errors', 'cpu', 'cpu/req', 'verdict'],
      j.steps.map((s) => [
        s.phase,
        s.offered === null ? (j.runId === null ? '-' : 'closed') : rate(s.offered),
        rate(s.achieved),
        s.concurrency === null ? '-' : num(s.concurrency, 3),
        ms(s.p50Ms),
        ms(s.p99Ms),
        ms(s.serviceP50Ms),
        ms(s.serviceP99Ms),
        formatPercent(s.errorRate, 2),
        s.cpuUtil === null ? '-' : formatPercent(s.cpuUtil, 0),
        s.cpuPerRequestUs === null ? '-' : formatMs(s.cpuPerRequestUs / 1000),
        (s.pass ? paint('green', 'pass') : paint('red', `fail: ${s.failures.join(', ')}`)) +
          (s.generatorLimited ? paint('yellow', ' (generator-bound)') : ''),
      ]),
      { rightAlign: [false, true, true, true, true, true, true, true, true, true, true, false] },
    ),
  );
  out.push('  N: mean requests in flight at the service (N = X·R); p50/p99 from the intended send time, svc from the actual send', '');
  const label = (s: string) => paint('bold', s.padEnd(22));
  const c = j.capacity;
  if (c.rate === null) out.push(`${label('SLO-bounded capacity')}no steps to judge`);
  else {
    const bracket = c.bracket ? `[${formatRate(c.bracket[0])}, ${c.bracket[1] === null ? '?' : formatRate(c.bracket[1])}]` : '';
    out.push(
      `${label('SLO-bounded capacity')}${paint('cyan', formatRate(c.rate))}  ${bracket}  limited by ${paint('bold', c.limitedBy ?? '-')}`,
    );
    if (c.interpolation !== null && c.failingMetric !== null) {
      out.push(
        `${' '.repeat(22)}${c.failingMetric} crossed its limit ${Math.round(c.interpolation * 100)}% of the way from the last passing to the first failing step (linear interpolation)`,
      );
    } else if (c.limitedBy === 'none-reached') out.push(`${' '.repeat(22)}every step passed: the capacity is at least the last step`);
  }
  const b = j.cpuBudgetCapacity;
  if (b) {
    const how =
      b.method === 'linear-fit' && b.fit
        ? `line through CPU vs throughput, R² ${num(b.fit.r2, 3)}, ${formatPercent(b.fit.idle, 1)} CPU at zero load`
        : `median CPU per request ${ms(b.cpuPerRequestUs === null ? null : b.cpuPerRequestUs / 1000)}`;
    out.push(
      `${label('CPU-budget capacity')}${paint('cyan', formatRate(b.rate))} at ${formatPercent(b.budget, 0)} CPU  (${how}${b.extrapolated ? ', extrapolated beyond the steps' : ''})`,
    );
  }
  const u = j.usl;
  if (u) {
    const pm = (v: number, se: number | null, ci: [number, number] | null) =>
      `${num(v, 4)}${se === null ? '' : ` ± ${num(se, 2)}`}${ci ? ` [${num(ci[0], 3)}, ${num(ci[1], 3)}]` : ''}`;
    out.push(
      `${label('USL fit')}σ ${pm(u.sigma, u.sigmaSE, u.sigmaCI)}  κ ${pm(u.kappa, u.kappaSE, u.kappaCI)}  λ ${pm(u.lambda, u.lambdaSE, u.lambdaCI)}`,
    );
    out.push(
      `${' '.repeat(22)}R² ${num(u.r2, 4)}${u.residualStandardError === null ? '' : `, residual SE ${num(u.residualStandardError, 3)}`}; ${
        u.peakConcurrency === null
          ? 'κ = 0: no retrograde region, no peak'
          : `peak at N* ${num(u.peakConcurrency, 3)}: ${formatRate(u.peakThroughput ?? 0)}`
      }${u.ceiling === null ? '' : `; ceiling λ/σ ${formatRate(u.ceiling)}`}`,
    );
  } else out.push(`${label('USL fit')}none (see warnings)`);
  const h = j.headroom;
  if (h) {
    const br = `[${num(h.bracket[0], 3)}, ${h.bracket[1] === null ? '?' : num(h.bracket[1], 3)}]`;
    out.push(
      `${label('headroom')}${paint('cyan', `${num(h.value, 3)}×`)} the expected peak ${formatRate(h.expectedPeak)}  ${br}  (${h.limitedBy === 'slo' ? 'SLO capacity' : 'CPU budget'} is the lower${h.lowerBound ? '; at least this: nothing failed' : ''})`,
    );
  } else out.push(`${label('headroom')}none (needs expectedPeak)`);
  if (j.warnings.length > 0) {
    out.push('', paint('yellow', 'warnings'));
    for (const w of j.warnings) out.push(`  - ${w}`);
  }
  return out.join('\n');
}
