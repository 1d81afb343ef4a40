import { randomBytes } from 'node:crypto';
import type { TraceSample } from '@headroom/internal';

/**
 * W3C Trace Context for a sampled fraction of requests. Sampling is deterministic: an
 * accumulator adds `sample` per request and a request is traced each time it passes 1,
 * so exactly ⌊n·sample⌋ of n requests carry `traceparent`, evenly spread.
 * Format (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `00-<32 hex trace-id>-<16 hex parent-id>-01`.
 */
export class TraceSampler {
  readonly #sample: number;
  #acc = 0;
  readonly #pending: TraceSample[] = [];

  constructor(sample: number) {
    this.#sample = Math.min(1, Math.max(0, sample));
  }

  /** Whether the next request is traced. */
  take(): boolean {
    if (this.#sample === 0) return false;
    this.#acc += this.#sample;
    if (this.#acc < 1 - 1e-12) return false;
    this.#acc -= 1;
    return true;
  }

  /** Fresh ids and the header line to insert into a request. */
  ids(): { traceId: string; spanId: string; line: Buffer } {
    const b = randomBytes(24);
    const traceId = b.toString('hex', 0, 16);
    const spanId = b.toString('hex', 16, 24);
    return { traceId, spanId, line: Buffer.from(`traceparent: 00-${traceId}-${spanId}-01\r\n`, 'latin1') };
  }

  record(s: TraceSample): void {
    this.#pending.push(s);
  }

  /** Samples recorded since the last drain. */
  drain(): TraceSample[] {
    return this.#pending.splice(0, this.#pending.length);
  }
}
