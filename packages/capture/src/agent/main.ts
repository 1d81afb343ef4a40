/**
 * The agent proper (loaded by agent.ts): runtime metrics every second, tracing, profiling switched on and off by the runner's phase messages, all flushed on `finish`.
 */
import { AgentIO } from './io.ts';
import { startRuntimeSampler } from './runtime.ts';
import { AgentProfiler } from './profiler.ts';
import { installGate } from './http-gate.ts';
import { createRequire } from 'node:module';
import type { AgentConfig, ControlMessage, RuntimeSample } from '../protocol.ts';
import type { AgentTracing } from './tracing.ts';

/**
 * Starts every part the config asks for; a part that fails is reported and skipped.
 * OpenTelemetry and the profiler load at once, in the background of the SUT's own start-up.
 */
export async function startAgent(config: AgentConfig): Promise<void> {
  const sample = config.traceSample;
  const profiling = config.cpu || config.heap;
  let onControl: (m: ControlMessage) => void = () => undefined;
  const io = new AgentIO(config.url, (m) => onControl(m), config.token);
  const warn = (message: string): void => {
    void io.send({ type: 'warning', message });
  };
  const profiler = profiling ? new AgentProfiler(config, io) : null;
  let loadTracing!: () => void;
  const tracingReady = new Promise<AgentTracing | null>((resolve) => {
    loadTracing = () => {
      if (sample === null) {
        resolve(null);
        return;
      }
      resolve(
        import('./tracing.ts')
          .then((m) => m.startTracing(config, sample, io))
          .catch((e: Error) => {
            warn(`tracing is off, OpenTelemetry failed to start: ${e.message}`);
            return null;
          }),
      );
    };
  });
  let loaded = false;
  const loadAll = () => {
    if (loaded) return;
    loaded = true;
    loadTracing();
    void profiler?.preload().catch((e: Error) => warn(`profiler failed to load: ${e.message}`));
  };
  // Loading later (at the first phase message) was tried: the SUT then started faster, but
  // every request stayed ~20% slower for the whole run once OpenTelemetry had been loaded into
  // an already-hot process (bench/capture-overhead.ts, --parts traces --sample 0: +23% CPU per
  // request lazy vs +2% eager). So everything loads now, before the SUT's own code runs.
  loadAll();
  if (sample !== null) {
    const require = createRequire(import.meta.url);
    for (const mod of ['node:http', 'node:https'])
      installGate((require(mod) as { Server: { prototype: Parameters<typeof installGate>[0] } }).Server.prototype);
  }

  if (config.runtime) {
    let batch: RuntimeSample[] = [];
    startRuntimeSampler((s) => {
      batch.push(s);
      const samples = batch;
      batch = [];
      void io.send({ type: 'runtime', samples }).then((ok) => {
        if (!ok && batch.length < 600) batch.unshift(...samples); // keep up to 10 minutes while the runner is unreachable
      });
    });
  }

  void tracingReady.then((t) => {
    if (t && profiler) profiler.attachLabels(t.contextManager);
  });
  // Phase switches run one after another, in the order the runner sent them.
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: ControlMessage): Promise<void> => {
    try {
      // A phase starts with tracing in place (it loads on the first message).
      if (m.type === 'phase') await tracingReady;
      if (m.type === 'phase' && profiler) {
        await profiler.switchTo(m.phase, m.measured);
      } else if (m.type === 'finish') {
        await profiler?.finish();
        await (await tracingReady)?.flush();
      }
    } catch (e) {
      warn(`${m.type} failed: ${(e as Error).message}`);
    }
    await io.send({ type: 'ack', seq: m.seq });
  };
  let lastSeq = 0;
  onControl = (m) => {
    if (m.seq <= lastSeq) return; // replayed after a reconnect
    lastSeq = m.seq;
    loadAll();
    queue = queue.then(() => handle(m));
  };
  void io.send({ type: 'hello', pid: process.pid, node: process.version, profiling, tracing: sample !== null });
}
