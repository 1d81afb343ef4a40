import { MAX_REQUEST_NAMES } from '@headroom/core';
import { createHistogram, encodeHistogram, LatencyCounts } from '@headroom/internal';
import type { ErrorCounts, ErrorKind, Histogram, NameEnd } from '@headroom/internal';
import { ERROR_KINDS } from './recorder.ts';

const KIND_INDEX: Record<ErrorKind, number> = Object.fromEntries(ERROR_KINDS.map((k, i) => [k, i])) as Record<ErrorKind, number>;

/** One request name's counters and latency counts over a unit. */
export class NameBucket {
  readonly name: string;
  requests = 0;
  ok = 0;
  readonly errors = new Float64Array(ERROR_KINDS.length);
  readonly latency = new LatencyCounts();
  readonly service = new LatencyCounts();

  constructor(name: string) {
    this.name = name;
  }

  /** A response: latency from the intended send, service time from the actual one (ms). */
  response(latencyMs: number, serviceMs: number, status: number): void {
    this.requests++;
    this.latency.record(latencyMs * 1000);
    this.service.record(serviceMs * 1000);
    if (status >= 200 && status < 300) this.ok++;
    else this.errors[statusKind(status)]!++;
  }

  failure(kind: ErrorKind): void {
    this.requests++;
    this.errors[KIND_INDEX[kind]]!++;
  }
}

/** Thrown when a unit sees more distinct request names than the store and summary can hold. */
export class TooManyNamesError extends Error {
  constructor(phase: string, latest: string) {
    super(
      `phase ${phase} has more than ${MAX_REQUEST_NAMES} distinct request names (the latest: "${latest}"): ids in paths make a name per request; pass { name: '…' } to group requests of one endpoint (e.g. vu.get(\`/users/\${id}\`, { name: 'user' }))`,
    );
    this.name = 'TooManyNamesError';
  }
}

/**
 * Per request name results of one unit (phase or step). Every request is recorded in
 * exactly one name, so the names' histograms and counts add up exactly to the unit's.
 */
export class NameTable {
  readonly #byName = new Map<string, NameBucket>();
  readonly #phase: string;

  constructor(phase: string) {
    this.#phase = phase;
  }

  get size(): number {
    return this.#byName.size;
  }

  /** The bucket of `name`, created on first use; past MAX_REQUEST_NAMES names, throws TooManyNamesError. */
  get(name: string): NameBucket {
    let b = this.#byName.get(name);
    if (b === undefined) {
      if (this.#byName.size >= MAX_REQUEST_NAMES) throw new TooManyNamesError(this.#phase, name);
      b = new NameBucket(name);
      this.#byName.set(name, b);
    }
    return b;
  }

  /** Encodes every name's results (drains their latency counts). `into`: also add them there (a step into its phase). */
  ends(into?: Map<string, { end: NameEnd; hist: Histogram; svc: Histogram }>): NameEnd[] {
    const out: NameEnd[] = [];
    for (const b of this.#byName.values()) {
      const hist = createHistogram();
      const svc = createHistogram();
      b.latency.drainInto(hist);
      b.service.drainInto(svc);
      const errors: ErrorCounts = {};
      b.errors.forEach((n, k) => {
        if (n > 0) errors[ERROR_KINDS[k] as ErrorKind] = n;
      });
      const end: NameEnd = {
        name: b.name,
        requests: b.requests,
        ok: b.ok,
        errors,
        hist: encodeHistogram(hist),
        serviceHist: encodeHistogram(svc),
      };
      out.push(end);
      if (into !== undefined) addNameEnd(into, end, hist, svc);
    }
    return out;
  }
}

/** Adds one name's results into a running per-name total (a step phase's whole-phase summary). */
export function addNameEnd(
  into: Map<string, { end: NameEnd; hist: Histogram; svc: Histogram }>,
  end: NameEnd,
  hist: Histogram,
  svc: Histogram,
): void {
  const t = into.get(end.name) ?? { end: { ...end, requests: 0, ok: 0, errors: {} }, hist: createHistogram(), svc: createHistogram() };
  t.end.requests += end.requests;
  t.end.ok += end.ok;
  for (const [k, v] of Object.entries(end.errors) as [ErrorKind, number][]) t.end.errors[k] = (t.end.errors[k] ?? 0) + v;
  t.hist.add(hist);
  t.svc.add(svc);
  into.set(end.name, t);
}

/** Encodes a running per-name total. */
export function encodeNameTotals(totals: Map<string, { end: NameEnd; hist: Histogram; svc: Histogram }>): NameEnd[] {
  return [...totals.values()].map((t) => ({ ...t.end, hist: encodeHistogram(t.hist), serviceHist: encodeHistogram(t.svc) }));
}

function statusKind(status: number): number {
  if (status < 200) return KIND_INDEX.http_1xx;
  if (status < 400) return KIND_INDEX.http_3xx;
  if (status < 500) return KIND_INDEX.http_4xx;
  if (status < 600) return KIND_INDEX.http_5xx;
  return KIND_INDEX.other;
}
