import * as hdr from 'hdr-histogram-js';

/**
 * Latency histograms: HdrHistogram (Gil Tene's algorithm, via hdr-histogram-js) in
 * microseconds, 1µs..1h at 3 significant digits. They cross process boundaries and
 * land in the store as the standard compressed encoding, so merging is exact and any
 * percentile can be recomputed later.
 */
export type Histogram = hdr.Histogram;

const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

/** A fresh latency histogram in µs. */
export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records a latency in µs, clamped to the trackable range so an outlier can never throw mid-run. */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(LOWEST_US, Math.round(us))));
}

/** Standard HdrHistogram compressed encoding (V2, deflate), as bytes. */
export function encodeHistogram(h: Histogram): Uint8Array {
  return Buffer.from(hdr.encodeIntoCompressedBase64(h), 'base64');
}

export function decodeHistogram(bytes: Uint8Array): Histogram {
  return hdr.decodeFromCompressedBase64(Buffer.from(bytes).toString('base64'), 64, false);
}

/** Adds an encoded histogram into `target` without loss. */
export function mergeEncoded(target: Histogram, bytes: Uint8Array): void {
  target.add(decodeHistogram(bytes));
}

/** The percentiles headroom reports, in milliseconds (µs resolution). */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p75Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export function summarize(h: Histogram): LatencySummary {
  const n = h.totalCount;
  const q = (p: number) => (n === 0 ? 0 : h.getValueAtPercentile(p) / 1000);
  return {
    count: n,
    minMs: n === 0 ? 0 : h.minNonZeroValue / 1000,
    meanMs: n === 0 ? 0 : h.mean / 1000,
    p50Ms: q(50), p75Ms: q(75), p90Ms: q(90), p95Ms: q(95), p99Ms: q(99), p999Ms: q(99.9),
    // HdrHistogram's convention (as wrk2 reports): the highest value equivalent to the max's
    // bucket. A decoded histogram only knows buckets, so this keeps merged and direct summaries equal.
    maxMs: q(100),
  };
}
