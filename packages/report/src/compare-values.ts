/**
 * Shared cell formatting of the compare reports: values with SI-style prefixes (times in
 * ns/ms get time units), the median's interval as ± % like benchstat, and the delta cell.
 */
import { isFromZero, type BenchmarkComparison, type SideSummary } from '@headroom/analysis';

const TIME_UNITS: [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];
const SI: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
];

function sig4(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** 1234 in 'ns/op' → "1.234µs"; 2.5 in 'ms' → "2.5ms"; 40310 in 'req/s' → "40.31k". */
export function formatCompareValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const nsPerValue = unit.startsWith('ns')
    ? 1
    : unit === 'ms' || unit.startsWith('ms/')
      ? 1e6
      : unit === 's' || unit.startsWith('sec')
        ? 1e9
        : 0;
  if (nsPerValue > 0) {
    const ns = abs * nsPerValue;
    const [div, suffix] = TIME_UNITS.find(([d]) => ns >= d) ?? [1, 'ns'];
    return `${value < 0 ? '-' : ''}${sig4(ns / div)}${suffix}`;
  }
  const [div, suffix] = SI.find(([d]) => abs >= d) ?? [1e-9, 'n'];
  return `${sig4(value / div)}${suffix}`;
}

/** "1.234µs ± 2%", or "1.234µs ± ∞" when there is no interval (too few samples). */
export function formatMedianCell(side: SideSummary | null, unit: string): string {
  if (!side) return '—';
  const m = formatCompareValue(side.median, unit);
  if (!side.ci) return `${m} ± ∞`;
  const half = Math.max(side.ci.high - side.median, side.median - side.ci.low);
  const rel = side.median === 0 ? 0 : (half / Math.abs(side.median)) * 100;
  return `${m} ± ${rel < 1 ? rel.toFixed(1) : rel.toFixed(0)}%`;
}

export function formatPct(pct: number | null): string {
  if (pct === null) return '?';
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;
}

export function formatP(p: number | null): string {
  return p === null ? '—' : p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** The change in percent, or "from 0" where the baseline's median is 0 and the candidate's is not. */
export function formatRowPct(r: BenchmarkComparison): string {
  if (isFromZero(r)) return 'from 0';
  return formatPct(r.deltaPct);
}

/** The benchstat-like delta cell: "+10.00% (p=0.000 n=10+10)", "~ (p=0.436 n=10+10)". */
export function formatDeltaCell(r: BenchmarkComparison, other: { baseline: string; candidate: string }): string {
  const n = `n=${r.baseline?.n ?? 0}+${r.candidate?.n ?? 0}`;
  switch (r.verdict) {
    case 'missing':
      return `missing in ${r.baseline ? other.candidate : other.baseline}`;
    case 'insufficient':
      return `${formatRowPct(r)} ? (${n}, too few runs for significance)`;
    case '~':
      return `~ (p=${formatP(r.p)} ${n})`;
    default:
      return `${formatRowPct(r)} (p=${formatP(r.p)} ${n})${r.withinNoise ? ' within noise' : ''}`;
  }
}
