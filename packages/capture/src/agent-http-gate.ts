/**
 * Head sampling at the door. The HTTP instrumentation costs about as much CPU per request as
 * a small handler itself, even for requests whose span is then not sampled (it builds
 * attributes, contexts and listeners before the sampler runs). So the sampling decision for
 * incoming requests is taken first, here: a request with a W3C traceparent follows its sampled
 * flag (ParentBased), one without is kept with probability `sample` (the TraceIdRatio share);
 * requests not kept go straight to the original `Server.prototype.emit`, untouched by
 * OpenTelemetry. Kept requests run through the instrumentation, and {@link GatedSampler}
 * records their server span, so the root share stays `sample` instead of `sample²`.
 */
import { SpanKind, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

let admitting = false;

/** Root sampler: the server span of a request the gate admitted is kept; any other root span gets TraceIdRatio. */
export class GatedSampler implements Sampler {
  private readonly ratio: TraceIdRatioBasedSampler;
  constructor(sample: number) {
    this.ratio = new TraceIdRatioBasedSampler(sample);
  }
  shouldSample(ctx: Context, traceId: string, _name: string, kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    if (admitting && kind === SpanKind.SERVER) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.ratio.shouldSample(ctx, traceId);
  }
  toString(): string {
    return `GatedSampler{${this.ratio.toString()}}`;
  }
}

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** The sampled flag of a traceparent (`00-<trace>-<span>-<flags>`), or null when absent or malformed. */
export function traceparentSampled(header: unknown): boolean | null {
  if (typeof header !== 'string' || header.length < 55 || header[2] !== '-' || header[35] !== '-' || header[52] !== '-') return null;
  const flags = Number.parseInt(header.slice(53, 55), 16);
  return Number.isNaN(flags) ? null : (flags & 1) === 1;
}

/** Puts the gate in front of an instrumented `Server.prototype.emit`. Returns false when it was not instrumented. */
export function installGate(proto: { emit: Emit }, sample: number): boolean {
  const instrumented = proto.emit as Emit & { __original?: Emit };
  const original = instrumented.__original;
  if (typeof original !== 'function') return false;
  proto.emit = function gatedEmit(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return original.call(this, event, ...args);
    const req = args[0] as { headers?: Record<string, unknown> } | undefined;
    const parent = traceparentSampled(req?.headers?.['traceparent']);
    const keep = parent ?? Math.random() < sample;
    if (!keep) return original.call(this, event, ...args);
    admitting = true;
    try {
      return instrumented.call(this, event, ...args);
    } finally {
      admitting = false;
    }
  };
  return true;
}
