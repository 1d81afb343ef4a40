/** Number formatting shared by the page's charts, tooltips and flame graphs. */

/** A duration in ms as µs, ms or s. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)}ms`;
  if (ms < 10_000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** A value in a pprof unit (nanoseconds, bytes, count) for people. */
export function fmtUnit(v: number, unit: string): string {
  if (unit === 'nanoseconds') return fmtMs(v / 1e6);
  if (unit === 'bytes') {
    if (v >= 1 << 30) return `${(v / (1 << 30)).toFixed(2)} GiB`;
    if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
    if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
    return `${v} B`;
  }
  return v.toLocaleString('en-US');
}

/** A share (0..1) as a percentage with sensible precision. */
export function fmtPct(share: number): string {
  const p = share * 100;
  return `${p < 0.1 && p > 0 ? p.toFixed(3) : p.toFixed(p < 10 ? 2 : 1)}%`;
}
