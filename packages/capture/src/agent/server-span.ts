/**
 * The server span of a traced request, recorded by the agent itself rather than by the
 * SDK's Tracer.startSpan. In the SUT a traced request is rare (1% by default), so the SDK's
 * general path (sampler chain, id generator, span limits and attribute cleaning, its own
 * metrics, processor fan-out) ran in cold caches and cost about twice a whole untraced
 * request (perf, bench/capture-cost.ts). This class is the whole of that path for the one
 * span the agent makes per traced request: it implements the API's `Span` (so the
 * service's own spans and outgoing calls become its children through the active context)
 * and the SDK's `ReadableSpan` (so it goes to the same BatchSpanProcessor and OTLP
 * serializer as every other span). Spans the service makes itself still go through the SDK.
 */
import { randomFillSync } from 'node:crypto';
import {
  trace,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type Context,
  type AttributeValue,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  millisToHrTime,
  parseTraceParent,
  timeInputToHrTime,
  TraceState,
  type InstrumentationScope,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';

/** The SDK's default span limits (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT and friends are 128 each). */
const LIMIT = 128;

/** What every server span shares: where it goes and what it is tagged with. */
export interface ServerSpanSink {
  processor: SpanProcessor;
  resource: Resource;
  scope: InstrumentationScope;
}

/**
 * A W3C traceparent's ids, or null when it is not a valid header (W3C Trace Context §3.2),
 * parsed by OpenTelemetry's own W3C propagator; `tracestate` is carried along as it does.
 */
export function parseTraceparent(header: string, tracestate: string | undefined): SpanContext | null {
  const sc = parseTraceParent(header);
  if (sc === null) return null;
  return { ...sc, isRemote: true, traceState: tracestate === undefined ? undefined : new TraceState(tracestate) };
}

/**
 * Random ids from a pool of CSPRNG bytes refilled 4 KiB at a time: ~120 ns an id, where
 * `Number.prototype.toString(16)` per word cost ~420 ns per 8 hex digits.
 */
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

const ZEROS = '0'.repeat(32);

/** `bytes` random bytes as lower-case hex, never all zeros (W3C: an all-zero id is invalid). */
function randomId(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const id = pool.toString('hex', used, used + bytes);
    used += bytes;
    if (id !== ZEROS.slice(0, 2 * bytes)) return id;
  }
}

/** Wall-clock time of a `performance.now()` reading as HrTime, as the SDK's hrTime computes it, with the origin split once. */
const ORIGIN = millisToHrTime(performance.timeOrigin);
const hrAt = (now: number): HrTime => addHrTimes(ORIGIN, millisToHrTime(now));

/** One traced request's SERVER span; ends (and is handed to the processor) once. */
export class ServerSpan implements Span, ReadableSpan {
  readonly kind = SpanKind.SERVER;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  ended = false;
  name: string;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly attributes: Attributes;
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  // Plain fields, not #private ones: defining private fields took a keyed-define IC per field
  // per span, visible in perf of this rarely-run (so cold) path.
  private readonly context: SpanContext;
  private readonly processor: SpanProcessor;
  private readonly start = performance.now();

  /** Starts a span named `name`, a child of `parent` when it is given, else the root of a new trace. */
  constructor(sink: ServerSpanSink, name: string, parent: SpanContext | null, attributes: Attributes) {
    this.name = name;
    this.startTime = hrAt(this.start);
    this.parentSpanContext = parent ?? undefined;
    this.context = {
      traceId: parent?.traceId ?? randomId(16),
      spanId: randomId(8),
      traceFlags: TraceFlags.SAMPLED,
      traceState: parent?.traceState,
    };
    this.attributes = attributes;
    this.resource = sink.resource;
    this.instrumentationScope = sink.scope;
    this.processor = sink.processor;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  /** Like the SDK: an empty key or a value that is not an attribute value (e.g. an object) is dropped. */
  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.ended || key.length === 0 || !isAttributeValue(value)) return this;
    if (!(key in this.attributes) && Object.keys(this.attributes).length >= LIMIT) this.droppedAttributesCount++;
    else this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const [k, v] of Object.entries(attributes)) this.setAttribute(k, v);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    if (this.events.length >= LIMIT) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    const at = isTimeInput(attributesOrTime) ? attributesOrTime : time;
    this.events.push({
      name,
      attributes: isTimeInput(attributesOrTime) ? undefined : attributesOrTime,
      time: at === undefined ? hrAt(performance.now()) : timeInputToHrTime(at),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links.length >= LIMIT) this.droppedLinksCount++;
    else this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const l of links) this.addLink(l);
    return this;
  }

  /** An UNSET status changes nothing and OK is final, as the API specifies for setStatus. */
  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status = status.code === SpanStatusCode.ERROR ? { code: status.code, message: status.message } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    if (endTime === undefined) {
      const now = performance.now();
      this.endTime = hrAt(now);
      this.duration = millisToHrTime(now - this.start);
    } else {
      this.endTime = timeInputToHrTime(endTime);
      this.duration = hrTimeDuration(this.startTime, this.endTime);
    }
    this.processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** An `exception` event with the semantic-convention attributes, as the SDK records it. */
  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else {
      if (exception.name ?? exception.code) attributes['exception.type'] = String(exception.name ?? exception.code);
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    this.addEvent('exception', attributes, time);
  }
}

/** The API's key for the active span, learnt through `trace.setSpan` itself. */
let spanKey: symbol | undefined;
trace.setSpan(
  {
    getValue: () => undefined,
    setValue(key) {
      spanKey = key;
      return this;
    },
    deleteValue() {
      return this;
    },
  },
  undefined as unknown as Span,
);

/**
 * The context a traced request's handlers run in: `base` with the server span active. The
 * API's own context copies `base`'s map and makes three closures per `setValue`, which in a
 * path that runs for 1% of requests cost ~4 µs in cold caches; this holds two fields, and
 * turns into the API's context only if the handler derives a context from it.
 */
class ServerSpanContext implements Context {
  private readonly base: Context;
  private readonly span: Span;
  constructor(base: Context, span: Span) {
    this.base = base;
    this.span = span;
  }
  getValue(key: symbol): unknown {
    return key === spanKey ? this.span : this.base.getValue(key);
  }
  setValue(key: symbol, value: unknown): Context {
    return trace.setSpan(this.base, this.span).setValue(key, value);
  }
  deleteValue(key: symbol): Context {
    return trace.setSpan(this.base, this.span).deleteValue(key);
  }
}

/** `base` with `span` active (the API's own context should the key ever not be learnt). */
export function withSpanActive(base: Context, span: Span): Context {
  return spanKey === undefined ? trace.setSpan(base, span) : new ServerSpanContext(base, span);
}
