import { createHistogram, encodeHistogram, LatencyCounts, recordUs } from '@headroom/internal';
import type { Counts, ErrorCounts, ErrorKind, Histogram } from '@headroom/internal';

/**
 * Dense arrivals wake on Node's timers, which fire on 1 ms ticks of the loop's clock: a send
 * leaves up to ~1.1 ms after its slot by design (measured: lag uniform over 0–1.1 ms, so
 * 8% of sends count as late by >1 ms at any rate from 1000 req/s up, with nothing wrong).
 * Later than twice that resolution, the generator itself was held up (a GC, a long tick,
 * being descheduled, its CPU saturating).
 */
export const LATE_BEYOND_RESOLUTION_MS = 2;

/** Order of error kinds in the counters array. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'http_1xx',
  'http_3xx',
  'http_4xx',
  'http_5xx',
  'timeout',
  'refused',
  'reset',
  'closed',
  'tls',
  'other',
];
const KIND_INDEX: Record<ErrorKind, number> = Object.fromEntries(ERROR_KINDS.map((k, i) => [k, i])) as Record<ErrorKind, number>;

/** Counters and the two latency histograms for an interval (a second, or a whole phase). */
export class Bucket {
  readonly hist: Histogram = createHistogram();
  readonly serviceHist: Histogram = createHistogram();
  /**
   * Time to failure of requests that got no response (µs), kept apart from the latency of
   * responses as k6 keeps `http_req_failed` beside the durations. Created on the first
   * failure, so an interval without failures costs nothing.
   */
  failedHist: Histogram | null = null;
  requests = 0;
  ok = 0;
  readonly errors = new Float64Array(ERROR_KINDS.length);
  lateSends = 0;
  /** Sends later than twice the generator's timer resolution (see LATE_BEYOND_RESOLUTION_MS); drives its warning. */
  lateBeyondResolution = 0;
  maxLagUs = 0;
  queuedSends = 0;
  maxQueueUs = 0;
  offered = 0;
  bytesRead = 0;

  /** Adds this interval into `into`, exactly (histograms add bucket by bucket). */
  addTo(into: Bucket): void {
    into.hist.add(this.hist);
    into.serviceHist.add(this.serviceHist);
    this.addFailedTo(into);
    this.addCountersTo(into);
  }

  /** Adds the failures' histogram, if any. */
  addFailedTo(into: Bucket): void {
    if (this.failedHist !== null) (into.failedHist ??= createHistogram()).add(this.failedHist);
  }

  /** Adds the counters only. */
  addCountersTo(into: Bucket): void {
    into.requests += this.requests;
    into.ok += this.ok;
    for (let k = 0; k < this.errors.length; k++) into.errors[k] = (into.errors[k] ?? 0) + (this.errors[k] ?? 0);
    into.lateSends += this.lateSends;
    into.lateBeyondResolution += this.lateBeyondResolution;
    into.maxLagUs = Math.max(into.maxLagUs, this.maxLagUs);
    into.queuedSends += this.queuedSends;
    into.maxQueueUs = Math.max(into.maxQueueUs, this.maxQueueUs);
    into.offered += this.offered;
    into.bytesRead += this.bytesRead;
  }

  reset(): void {
    this.hist.reset();
    this.serviceHist.reset();
    this.failedHist?.reset();
    this.requests =
      this.ok =
      this.lateSends =
      this.lateBeyondResolution =
      this.maxLagUs =
      this.queuedSends =
      this.maxQueueUs =
      this.offered =
      this.bytesRead =
        0;
    this.errors.fill(0);
  }

  counts(): Counts {
    const errors: ErrorCounts = {};
    for (let k = 0; k < ERROR_KINDS.length; k++) {
      const n = this.errors[k] ?? 0;
      if (n > 0) errors[ERROR_KINDS[k] as ErrorKind] = n;
    }
    return {
      requests: this.requests,
      ok: this.ok,
      errors,
      lateSends: this.lateSends,
      lateBeyondResolution: this.lateBeyondResolution,
      maxLagUs: Math.round(this.maxLagUs),
      queuedSends: this.queuedSends,
      maxQueueUs: Math.round(this.maxQueueUs),
      offered: this.offered,
      bytesRead: this.bytesRead,
    };
  }

  /** The histograms encoded; `failedHist` only when a request failed in the interval. */
  encoded(): { hist: Uint8Array; serviceHist: Uint8Array; failedHist?: Uint8Array } {
    const out: { hist: Uint8Array; serviceHist: Uint8Array; failedHist?: Uint8Array } = {
      hist: encodeHistogram(this.hist),
      serviceHist: encodeHistogram(this.serviceHist),
    };
    if (this.failedHist !== null && this.failedHist.totalCount > 0) out.failedHist = encodeHistogram(this.failedHist);
    return out;
  }
}

/**
 * What the engines report into: one per (sub-)phase. Outcomes land in the current
 * second's bucket; the worker folds each second into the phase total when it ticks, so
 * memory stays two buckets per phase however long the run.
 */
export class Recorder {
  readonly second = new Bucket();
  readonly #total = new Bucket();
  // The hot path counts into these; closeSecond drains them into `second`'s histograms
  // and carries them into the running totals, which reach `total`'s histograms only when
  // it is read (at the end of the phase): a tick costs no histogram merge.
  readonly #latency = new LatencyCounts();
  readonly #service = new LatencyCounts();
  readonly #latencyTotal = new LatencyCounts();
  readonly #wakes = new LatencyCounts();
  #wakeCount = 0;
  readonly #wakeHist: Histogram = createHistogram();
  readonly #serviceTotal = new LatencyCounts();

  /** Everything closed so far: the seconds already folded in by closeSecond. */
  get total(): Bucket {
    this.#latencyTotal.drainInto(this.#total.hist);
    this.#serviceTotal.drainInto(this.#total.serviceHist);
    return this.#total;
  }

  /** A response arrived. Times in performance.now() ms; latency counts from the intended send. */
  response(intendedMs: number, sentMs: number, doneMs: number, status: number, bytes: number): void {
    const b = this.second;
    this.#latency.record((doneMs - intendedMs) * 1000);
    this.#service.record((doneMs - sentMs) * 1000);
    b.requests++;
    b.bytesRead += bytes;
    if (status >= 200 && status < 300) b.ok++;
    else b.errors[statusKindIndex(status)]!++;
  }

  /**
   * A request failed without a response; it counts as a completed request with an error.
   * `elapsedMs` is how long it took to fail, from its intended send (omitted when unknown).
   */
  failure(kind: ErrorKind, elapsedMs?: number): void {
    const b = this.second;
    b.requests++;
    b.errors[KIND_INDEX[kind]]!++;
    if (elapsedMs !== undefined) recordUs((b.failedHist ??= createHistogram()), elapsedMs * 1000);
  }

  /**
   * A send left (open model): `lagMs` is the generator's own lateness, from when the arrival
   * could first go out; `queuedMs` how long it waited for a free connection (the service's queue).
   */
  sent(lagMs: number, queuedMs = 0): void {
    if (lagMs > 1) this.second.lateSends++;
    if (lagMs > LATE_BEYOND_RESOLUTION_MS) this.second.lateBeyondResolution++;
    const us = lagMs * 1000;
    if (us > this.second.maxLagUs) this.second.maxLagUs = us;
    if (queuedMs > 0) {
      this.second.queuedSends++;
      if (queuedMs * 1000 > this.second.maxQueueUs) this.second.maxQueueUs = queuedMs * 1000;
    }
  }

  /**
   * The generator woke `lateMs` after a precise-timer deadline (open model, sparse arrivals).
   * That delay is the generator's own: a thread hand-off and its wake from idle, the same
   * wake-up a response read from an idle loop waits for. Its median per second is reported
   * as `wakeDelayUs`, the floor under the latencies that belongs to the generator and host.
   */
  wakeDelay(lateMs: number): void {
    this.#wakes.record(lateMs * 1000);
    this.#wakeCount++;
  }

  /** Closes the current second: folds it into the total and returns its counters and histograms. */
  closeSecond(): Counts & { hist: Uint8Array; serviceHist: Uint8Array; failedHist?: Uint8Array; wakeDelayUs: number | null } {
    this.#latency.drainInto(this.second.hist, this.#latencyTotal);
    this.#service.drainInto(this.second.serviceHist, this.#serviceTotal);
    const out = { ...this.second.counts(), ...this.second.encoded(), wakeDelayUs: this.#closeWakes() };
    this.second.addFailedTo(this.#total);
    this.second.addCountersTo(this.#total);
    this.second.reset();
    return out;
  }

  /** Median wake-up delay (µs) of the second's precise-timer wakes, or null when there were none. */
  #closeWakes(): number | null {
    if (this.#wakeCount === 0) return null;
    this.#wakeCount = 0;
    this.#wakeHist.reset();
    this.#wakes.drainInto(this.#wakeHist);
    return this.#wakeHist.getValueAtPercentile(50);
  }
}

function statusKindIndex(status: number): number {
  if (status < 200) return KIND_INDEX.http_1xx;
  if (status < 400) return KIND_INDEX.http_3xx;
  if (status < 500) return KIND_INDEX.http_4xx;
  if (status < 600) return KIND_INDEX.http_5xx;
  return KIND_INDEX.other;
}

/**
 * Runs the per-response and per-second paths on a throwaway recorder, so the JIT has
 * compiled them before the run's first second: cold, the first tick holds the event
 * loop for 10–20 ms, and every send due meanwhile leaves that late.
 */
export function warmUpRecorder(): void {
  const r = new Recorder();
  for (let s = 0; s < 5; s++) {
    for (let k = 0; k < 2000; k++) r.response(0, 0, (k % 500) / 100, 200, 100);
    r.failure('timeout', 1);
    r.sent(s * 0.5);
    r.wakeDelay(0.05);
    r.closeSecond();
  }
  r.total.encoded();
}
