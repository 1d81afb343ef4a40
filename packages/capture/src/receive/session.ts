/**
 * startCapture: the runner's handle on capture for one run. It starts the receivers, tells the
 * SUT (through nodeArgs and env) where to report, relays phases to the agent, hands spans on as
 * they arrive, and at the end turns what else arrived into artifacts and rows.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collector } from './collector.ts';
import { randomBytes } from 'node:crypto';
import { ControlChannel } from './control.ts';
import { startReceivers, type ForwardTargets } from './receivers.ts';
import type { AgentConfig } from '../protocol.ts';
import { PerfCapture } from '../perf/perf-session.ts';
import { CAPTURE_DEFAULTS, type CaptureOptions, type CaptureResult, type CaptureSession } from './types.ts';

const AGENT_PATH = fileURLToPath(new URL('../agent/agent.ts', import.meta.url));

/** Forward targets from options, else from the runner's OTEL_* / PYROSCOPE_* environment. */
export function resolveForward(opts: CaptureOptions['forward'], env: NodeJS.ProcessEnv = process.env): ForwardTargets {
  const out: ForwardTargets = {};
  const pyro = opts?.pyroscopeUrl ?? env['PYROSCOPE_SERVER_ADDRESS'];
  if (pyro) out.pyroscopeUrl = pyro;
  if (opts?.otlpEndpoint) out.otlpTracesUrl = `${opts.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
  else if (env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) out.otlpTracesUrl = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  else if (env['OTEL_EXPORTER_OTLP_ENDPOINT']) out.otlpTracesUrl = `${env['OTEL_EXPORTER_OTLP_ENDPOINT'].replace(/\/$/, '')}/v1/traces`;
  return out;
}

/** Starts the receivers and returns the session the runner drives. */
export async function startCapture(options: CaptureOptions): Promise<CaptureSession> {
  const { capture } = options;
  const collector = new Collector({
    onWarning: options.onWarning,
    onRuntime: options.onRuntimeSample,
    onSpans: options.onSpans,
    onProfile: (phase) => snapshotSoon(phase),
  });
  const control = new ControlChannel();
  const forward = resolveForward(options.forward);
  // A per-run secret for the agent's control endpoints, handed to the agent in its environment only.
  const token = randomBytes(16).toString('hex');
  const receivers = await startReceivers({ collector, control, serviceName: options.serviceName, forward, token });
  const url = receivers.url;
  const traceSample = capture.traces ? capture.traces.sample : null;
  const byPerf = capture.cpu && capture.cpuProfiler === 'perf';
  if (byPerf && !options.perf) throw new Error("cpuProfiler 'perf' needs options.perf (checkPerf's result)");
  const hz = capture.cpuHz ?? CAPTURE_DEFAULTS.cpuHz;
  const perf =
    byPerf && options.perf
      ? new PerfCapture(options.perf, hz, options.perfCallGraph ?? 'fp', join(options.artifactsDir, 'profiles'), (m) => collector.warn(m))
      : null;
  // With perf, the agent takes no CPU profile; heap, traces and runtime stay its own.
  const agentCpu = capture.cpu && !byPerf;
  const agentWanted = agentCpu || capture.heap || traceSample !== null || capture.runtime;
  const agentConfig: AgentConfig = {
    url,
    token,
    runId: options.runId,
    serviceName: options.serviceName,
    cpu: agentCpu,
    heap: capture.heap,
    traceSample,
    runtime: capture.runtime,
    flushIntervalMs: CAPTURE_DEFAULTS.flushIntervalMs,
    wallIntervalMicros: Math.round(1e6 / hz),
    heapIntervalBytes: capture.heapIntervalBytes ?? CAPTURE_DEFAULTS.heapIntervalBytes,
    collectCpuTime: CAPTURE_DEFAULTS.collectCpuTime,
  };
  const env: Record<string, string> = {};
  if (agentWanted) env['HEADROOM_CAPTURE'] = JSON.stringify(agentConfig);
  // For SUTs in any language: OpenTelemetry and Pyroscope SDKs read these.
  if (traceSample !== null) {
    Object.assign(env, {
      OTEL_SERVICE_NAME: options.serviceName,
      OTEL_EXPORTER_OTLP_ENDPOINT: url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(traceSample),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  }
  if (agentCpu || capture.heap) {
    Object.assign(env, { PYROSCOPE_SERVER_ADDRESS: url, PYROSCOPE_APPLICATION_NAME: options.serviceName });
  }
  const measuredPhases = new Set<string>();
  /** Phases that have a CPU profile among those written early. */
  const cpuWritten = new Set<string>();
  const phaseWrites: Promise<void>[] = [];
  const writePhase = (phase: string, deliver: NonNullable<CaptureOptions['onPhaseProfiles']>): void => {
    const write = collector.finalizePhase(phase, options.artifactsDir).then((rows) => {
      for (const p of rows.profiles) if (p.type === 'cpu') cpuWritten.add(p.phase);
      if (rows.profiles.length > 0 || rows.functions.length > 0) deliver(rows);
    });
    phaseWrites.push(
      write.catch((err: Error) => collector.warn(`the profiles of phase "${phase}" could not be handed on: ${err.message}`)),
    );
  };
  // The running phase's profiles as they stand, written shortly after each push (the pushes of one
  // flush, wall and heap, arrive together and make one snapshot): a run killed in it keeps them.
  let snapshotTimer: NodeJS.Timeout | null = null;
  const snapshotSoon = (phase: string): void => {
    const deliver = options.onRunningProfiles;
    if (!deliver || finished || snapshotTimer !== null || collector.current()?.phase !== phase) return;
    snapshotTimer = setTimeout(() => {
      snapshotTimer = null;
      if (finished || collector.current()?.phase !== phase) return;
      const write = collector.snapshotPhase(phase, options.artifactsDir).then((rows) => {
        if (rows.profiles.length > 0) deliver(rows);
      });
      phaseWrites.push(write.catch((err: Error) => collector.warn(`a snapshot of phase "${phase}"'s profiles failed: ${err.message}`)));
    }, CAPTURE_DEFAULTS.snapshotDelayMs);
    snapshotTimer.unref();
  };
  let finished: Promise<CaptureResult> | null = null;
  let agentMissing = false;

  return {
    receivers: { pyroscope: url, otlp: url },
    nodeArgs: agentWanted ? ['--import', AGENT_PATH] : [],
    env,
    attach(pid, cpus) {
      if (!finished) perf?.attach(pid, cpus);
    },
    async setPhase(phase, measured, durationMs) {
      if (finished) return;
      const ended = collector.current();
      collector.setPhase(phase, measured);
      perf?.timeline.mark(phase, measured, undefined, durationMs);
      if (phase !== null && measured) measuredPhases.add(phase);
      if (!agentWanted) return;
      // Wait for a late agent only until it has once been found missing, so a non-Node SUT costs one wait.
      const acked = await control.send({ type: 'phase', phase, measured }, CAPTURE_DEFAULTS.phaseAckTimeoutMs, !agentMissing);
      if (!acked && control.connected === 0) agentMissing = true;
      // The agent pushed the ended phase's last profiles before it answered: they are written and
      // handed on now, so a run killed in a later phase keeps them. Unanswered, they wait for finish.
      if (acked && !finished && ended?.measured && options.onPhaseProfiles) writePhase(ended.phase, options.onPhaseProfiles);
      if (!acked && phase !== null && measured && (agentCpu || capture.heap)) {
        collector.warn(
          control.connected === 0
            ? 'capture agent is not connected: the SUT is not Node started with session.nodeArgs, or the agent failed; only data pushed by the SUT itself is captured'
            : `capture agent did not confirm phase "${phase}" within ${CAPTURE_DEFAULTS.phaseAckTimeoutMs} ms; its profile may start late`,
          control.connected === 0 ? 'agent-missing' : undefined,
        );
      }
    },
    finish() {
      finished ??= (async () => {
        if (agentWanted && control.connected > 0) {
          const ok = await control.send({ type: 'finish' }, CAPTURE_DEFAULTS.finishTimeoutMs);
          if (!ok)
            collector.warn(
              `capture agent did not flush within ${CAPTURE_DEFAULTS.finishTimeoutMs} ms; the last profiles or spans may be missing`,
            );
        }
        collector.setPhase(null, false);
        perf?.timeline.mark(null, false);
        if (perf) {
          // Stopped before anything else can fail: no perf outlives the run.
          const out = await perf.finish();
          for (const w of out.warnings) collector.warn(w);
          for (const p of out.profiles) collector.addProfile(p.phase, p.profile);
        }
        await receivers.pending();
        if (snapshotTimer !== null) clearTimeout(snapshotTimer);
        await Promise.all(phaseWrites);
        let result: CaptureResult;
        try {
          result = await collector.finalize(options.artifactsDir);
        } finally {
          // Whatever finalize met (a full disk, an unwritable folder), the receivers close: nothing keeps headroom running.
          await receivers.close();
        }
        if (capture.cpu) {
          for (const phase of measuredPhases) {
            if (!cpuWritten.has(phase) && !result.profiles.some((p) => p.phase === phase && p.type === 'cpu'))
              collector.warn(`no CPU profile was received for phase "${phase}"`);
          }
        }
        if (collector.droppedPushes > 0)
          collector.warn(`${collector.droppedPushes} profile pushes fell outside any measured phase and were dropped`);
        if (collector.latePushes > 0)
          collector.warn(`${collector.latePushes} profile pushes arrived after their phase's profile was written and were dropped`);
        return result;
      })();
      return finished;
    },
  };
}
