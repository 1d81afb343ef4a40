/**
 * Tracing inside the SUT: @opentelemetry/sdk-node with the HTTP instrumentation for outgoing
 * calls, W3C traceparent propagation (the SDK default), sampler ParentBased(TraceIdRatio(sample))
 * — a sampled incoming parent is always kept — and OTLP/HTTP protobuf export to the receiver,
 * posted from the agent's I/O thread. Incoming requests are sampled at the gate
 * (agent-http-gate.ts) and get their server spans from agent-server-spans.ts.
 * The context manager also tags profiler samples with the span id of sampled spans, so CPU
 * samples can be joined to spans (see span-labels.ts).
 */
import { createRequire } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanLabellingContextManager } from './span-label-context.ts';
import { gate } from './http-gate.ts';
import { endAbandonedSpans, withServerSpan } from './server-spans.ts';
import type { AgentConfig } from '../protocol.ts';
import type { AgentIO } from './io.ts';

/**
 * OTLP/HTTP protobuf export, encoded here by OpenTelemetry's own serializer (what
 * OTLPTraceExporter sends) and posted from the agent's I/O thread (see agent-io.ts).
 */
class IoSpanExporter implements SpanExporter {
  readonly #io: AgentIO;
  readonly #url: string;
  constructor(io: AgentIO, url: string) {
    this.#io = io;
    this.#url = url;
  }
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (body === undefined) {
      done({ code: ExportResultCode.FAILED, error: new Error('spans could not be encoded') });
      return;
    }
    void this.#io
      .post(this.#url, 'application/x-protobuf', body, 10_000)
      .then((ok) =>
        done(
          ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error(`export to ${this.#url} failed`) },
        ),
      );
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A started tracer: flush before the run ends. */
export interface AgentTracing {
  contextManager: SpanLabellingContextManager;
  flush(): Promise<void>;
}

/** Starts OpenTelemetry tracing; the receiver's own host:port is never traced. */
export function startTracing(config: AgentConfig, sample: number, io: AgentIO): AgentTracing {
  const receiverHost = new URL(config.url).host;
  const exporter = new IoSpanExporter(io, `${config.url}/v1/traces`);
  const processor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 1024 });
  const contextManager = new SpanLabellingContextManager();
  const resource = resourceFromAttributes({ 'service.name': config.serviceName, 'headroom.run_id': config.runId });
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    contextManager,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sample) }),
    spanProcessors: [processor],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Incoming requests are handled by the gate (agent-http-gate.ts, agent-server-spans.ts).
        disableIncomingRequestInstrumentation: true,
        // Outgoing calls are traced inside a traced request only: an unsampled request skipped
        // instrumentation (see agent-http-gate.ts), so its calls must not start traces of their own.
        requireParentforOutgoingSpans: true,
        ignoreOutgoingRequestHook: (req) =>
          `${req.hostname ?? req.host ?? ''}:${req.port ?? ''}` === receiverHost || `${req.host ?? ''}` === receiverHost,
      }),
    ],
  });
  sdk.start();
  // The HTTP instrumentation (outgoing calls) patches `http` when it is first required; ESM
  // `import 'node:http'` does not go through require, so load it once here.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  // Open the gate the agent installed at start-up.
  const sink = { processor, resource, scope: { name: '@headroom/capture' } };
  gate.sample = sample;
  gate.wrap = (req, res, traceparent, handle) => withServerSpan(sink, req, res, traceparent, handle);
  return {
    contextManager,
    flush: () => {
      endAbandonedSpans();
      return processor.forceFlush();
    },
  };
}
