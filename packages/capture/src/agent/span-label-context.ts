/**
 * Span-id labels on profiler samples. @pyroscope/nodejs 0.6.4 labels wall samples with its
 * global `setLabels` context, which does not follow async continuations, and offers no
 * OpenTelemetry hook for Node. @datadog/pprof (which it runs on) can keep a per-async-context
 * label set when the wall profiler is started with `useCPED` (V8 continuation-preserved
 * embedder data, i.e. AsyncContextFrame on Node 24) and `time.runWithContext`. So the agent
 * starts the profiler with useCPED itself before Pyroscope's start (which then reuses it), and
 * this context manager enters a `{ labels: { span_id } }` context whenever OpenTelemetry
 * activates a sampled, recording span. Pyroscope's own label generator reads `labels` from
 * that context, so its pushes carry `span_id` labels like Pyroscope's span-profiles integration.
 */
import { EventEmitter } from 'node:events';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { trace, TraceFlags, type Context } from '@opentelemetry/api';

/** The subset of @datadog/pprof's `time` used here. */
export interface LabelRunner {
  isStarted(): boolean;
  runWithContext<R>(context: object, f: () => R): R;
}

export class SpanLabellingContextManager extends AsyncLocalStorageContextManager {
  /** Set while a measured phase is profiled; null otherwise (no overhead). */
  profiler: LabelRunner | null = null;

  /**
   * Binding an EventEmitter (the HTTP instrumentation binds every traced request and response)
   * adds own `on`/`addListener`/… properties to that one object. A few differently-shaped
   * IncomingMessage/ServerResponse objects are enough to turn Node's hot HTTP paths polymorphic,
   * slowing every request, traced or not. With AsyncContextFrame (Node 24) listeners added inside
   * the handler already run in its context when the emit happens within it, so emitters are left
   * as they are unless `bindEmitters` is set.
   */
  bindEmitters = process.env['HEADROOM_CAPTURE_BIND_EMITTERS'] === '1';

  override bind<T>(context: Context, target: T): T {
    if (!this.bindEmitters && target instanceof EventEmitter) return target;
    return super.bind(context, target);
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const profiler = this.profiler;
    if (profiler !== null) {
      const span = trace.getSpan(context);
      if (span !== undefined && span.isRecording()) {
        const sc = span.spanContext();
        if ((sc.traceFlags & TraceFlags.SAMPLED) !== 0 && trace.getSpan(this.active()) !== span && profiler.isStarted()) {
          // The key is profile/span-labels.ts SPAN_ID_LABEL, written out so the agent loads no profile code.
          return profiler.runWithContext({ labels: { span_id: sc.spanId } }, () => super.with(context, fn, thisArg, ...args));
        }
      }
    }
    return super.with(context, fn, thisArg, ...args);
  }
}
