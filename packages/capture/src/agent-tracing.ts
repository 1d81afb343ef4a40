/**
 * Tracing inside the SUT: @opentelemetry/sdk-node with the HTTP instrumentation, W3C
 * traceparent propagation (the SDK default), sampler ParentBased(TraceIdRatio(sample)) — a
 * sampled incoming parent is always kept — and OTLP/HTTP protobuf export to the receiver.
 * The context manager also tags profiler samples with the span id of sampled spans, so CPU
 * samples can be joined to spans (see span-labels.ts).
 */
import { createRequire } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanLabellingContextManager } from './span-labels.ts';
import { GatedSampler, installGate } from './agent-http-gate.ts';
import type { AgentConfig } from './types.ts';

/** A started tracer: flush before the run ends. */
export interface AgentTracing {
  contextManager: SpanLabellingContextManager;
  flush(): Promise<void>;
}

/** Starts OpenTelemetry tracing; the receiver's own host:port is never traced. */
export function startTracing(config: AgentConfig, sample: number): AgentTracing {
  const receiverHost = new URL(config.url).host;
  const exporter = new OTLPTraceExporter({ url: `${config.url}/v1/traces` });
  const processor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 1024 });
  const contextManager = new SpanLabellingContextManager();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, 'headroom.run_id': config.runId }),
    autoDetectResources: false,
    contextManager,
    sampler: new ParentBasedSampler({ root: new GatedSampler(sample) }),
    spanProcessors: [processor],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [new HttpInstrumentation({
      // Outgoing calls are traced inside a traced request only: an unsampled request skipped
      // instrumentation (see agent-http-gate.ts), so its calls must not start traces of their own.
      requireParentforOutgoingSpans: true,
      ignoreOutgoingRequestHook: (req) => `${req.hostname ?? req.host ?? ''}:${req.port ?? ''}` === receiverHost
        || `${req.host ?? ''}` === receiverHost,
    })],
  });
  sdk.start();
  // The HTTP instrumentation patches `http` when it is first required; ESM `import 'node:http'`
  // does not go through require, so load it once here (the patch is on Server.prototype.emit,
  // shared by every importer).
  const require = createRequire(import.meta.url);
  const http = require('node:http') as { Server: { prototype: { emit: never } } };
  const https = require('node:https') as { Server: { prototype: { emit: never } } };
  installGate(http.Server.prototype, sample);
  installGate(https.Server.prototype, sample);
  return { contextManager, flush: () => processor.forceFlush() };
}
