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

// HdrHistogram's bucket layout for the settings above (HdrHistogram's Java
// AbstractHistogram: unitMagnitude 0, subBucketHalfCountMagnitude 10): a value v lands at
// bucket b = 21 - clz32(v | 2047) and counts index (b << 10) + (v >>> b).
const SUB_BUCKET_MASK = 2047;
const HALF_MAGNITUDE = 10;
const COUNTS_LENGTH = ((21 + 1) << HALF_MAGNITUDE) + (1 << HALF_MAGNITUDE);

/**
 * The hot-path side of a latency histogram: one counter per HdrHistogram bucket, indexed
 * with integer operations instead of the log2 and pow calls hdr-histogram-js makes per
 * value. `drainInto` adds each counter to a real histogram at its bucket's lowest
 * equivalent value, which lands in the same bucket, so the histogram ends up exactly as if
 * every value had been recorded into it directly.
 */
export class LatencyCounts {
  readonly #counts = new Float64Array(COUNTS_LENGTH);
  #recorded = 0;

  /** Records a latency in µs, clamped like `recordUs`. */
  record(us: number): void {
    const v = us < LOWEST_US ? LOWEST_US : us > HIGHEST_US ? HIGHEST_US : Math.round(us);
    const bucket = 21 - Math.clz32(v | SUB_BUCKET_MASK);
    this.#counts[(bucket << HALF_MAGNITUDE) + (v >>> bucket)]!++;
    this.#recorded++;
  }

  /**
   * Adds everything recorded since the last drain into `h`, and starts over. With `carry`,
   * the same counts are also added to it (a running total kept as counters, so folding
   * a second into a phase costs no histogram merge).
   */
  drainInto(h: Histogram, carry?: LatencyCounts): void {
    if (this.#recorded === 0) return;
    const counts = this.#counts;
    const into = carry === undefined ? null : carry.#counts;
    if (carry !== undefined) carry.#recorded += this.#recorded;
    for (let i = 0; i < COUNTS_LENGTH; i++) {
      const n = counts[i]!;
      if (n === 0) continue;
      counts[i] = 0;
      if (into !== null) into[i]! += n;
      let bucket = (i >> HALF_MAGNITUDE) - 1;
      let sub = (i & ((1 << HALF_MAGNITUDE) - 1)) + (1 << HALF_MAGNITUDE);
      if (bucket < 0) {
        sub -= 1 << HALF_MAGNITUDE;
        bucket = 0;
      }
      h.recordValueWithCount(sub * 2 ** bucket, n);
    }
    this.#recorded = 0;
  }
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

interface RecordedValues {
  recordedValuesIterator: {
    reset(): void;
    hasNext(): boolean;
    next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
  };
}

/**
 * Cumulative counts at or below each bound (µs, ascending), and the sum of the values (µs): a
 * Prometheus histogram's `le` buckets and `_sum` from an HDR histogram. A value is its bucket's
 * highest equivalent value (within 0.1% at 3 significant digits), so a value within 0.1% above a
 * bound may count below it.
 */
export function cumulativeCounts(h: Histogram, boundsUs: readonly number[]): { counts: number[]; sumUs: number } {
  const counts = boundsUs.map(() => 0);
  let sumUs = 0;
  const it = (h as unknown as RecordedValues).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    sumUs += v.valueIteratedTo * v.countAtValueIteratedTo;
    for (let i = boundsUs.length - 1; i >= 0 && v.valueIteratedTo <= boundsUs[i]!; i--) counts[i]! += v.countAtValueIteratedTo;
  }
  return { counts, sumUs };
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

/** One figure of a summary in ms, or null when it summarises no response: never a 0 ms that reads as fast. */
export function measuredMs(s: LatencySummary, k: Exclude<keyof LatencySummary, 'count'>): number | null {
  return s.count === 0 ? null : s[k];
}

export function summarize(h: Histogram): LatencySummary {
  const n = h.totalCount;
  const q = (p: number) => (n === 0 ? 0 : h.getValueAtPercentile(p) / 1000);
  return {
    count: n,
    minMs: n === 0 ? 0 : h.minNonZeroValue / 1000,
    meanMs: n === 0 ? 0 : h.mean / 1000,
    p50Ms: q(50),
    p75Ms: q(75),
    p90Ms: q(90),
    p95Ms: q(95),
    p99Ms: q(99),
    p999Ms: q(99.9),
    // HdrHistogram's convention (as wrk2 reports): the highest value equivalent to the max's
    // bucket. A decoded histogram only knows buckets, so this keeps merged and direct summaries equal.
    maxMs: q(100),
  };
}
