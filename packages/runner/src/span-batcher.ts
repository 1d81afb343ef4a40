/**
 * Spans on their way from the capture receivers to the bus, while the run goes on. A service
 * may export one span per request (OpenTelemetry's SimpleSpanProcessor does); gathering them
 * for at most a second, or until a batch is full, keeps that from costing one bus event and
 * one spool write per request, while memory holds at most one batch and a run that is killed
 * loses at most the last second's spans.
 */
import type { SpanRow } from '@headroom/capture';

/** How spans are gathered before they go on. */
export interface SpanBatcherOptions {
  /** Spans that make a batch go out at once. @default SPAN_BATCH_DEFAULTS.maxSpans */
  maxSpans?: number;
  /** How long the first span of a batch waits for others. @default SPAN_BATCH_DEFAULTS.maxDelayMs */
  maxDelayMs?: number;
}

/** Defaults resolved in one place. */
export const SPAN_BATCH_DEFAULTS = {
  /** About 2 MB in the spool; the capture agent exports up to 1024 spans a request. */
  maxSpans: 4096,
  maxDelayMs: 1000,
} as const;

/** Gathers span batches and hands them to `publish` when full, a delay after the first, or on `flush`. */
export class SpanBatcher {
  private readonly publish: (spans: SpanRow[]) => void;
  private readonly maxSpans: number;
  private readonly maxDelayMs: number;
  private pending: SpanRow[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(publish: (spans: SpanRow[]) => void, options: SpanBatcherOptions = {}) {
    this.publish = publish;
    this.maxSpans = options.maxSpans ?? SPAN_BATCH_DEFAULTS.maxSpans;
    this.maxDelayMs = options.maxDelayMs ?? SPAN_BATCH_DEFAULTS.maxDelayMs;
  }

  /** Spans waiting to go out. */
  get size(): number {
    return this.pending.length;
  }

  add(spans: readonly SpanRow[]): void {
    for (const s of spans) this.pending.push(s);
    if (this.pending.length >= this.maxSpans) this.flush();
    else if (this.pending.length > 0 && this.timer === null) {
      // Unref'd: waiting spans never keep headroom running; the end of the run flushes them.
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs).unref();
    }
  }

  /** Hands on whatever is waiting, now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.publish(batch);
  }
}
