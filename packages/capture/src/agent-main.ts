/**
 * The agent proper (loaded by agent.ts): runtime metrics every second, tracing once the runner
 * talks to it, profiling switched on and off by the runner's phase messages, all flushed on `finish`.
 */
import { connectControl, postToRunner } from './agent-control.ts';
import { startRuntimeSampler } from './agent-runtime.ts';
import { AgentProfiler } from './agent-profiler.ts';
import type { AgentConfig, ControlMessage, RuntimeSample } from './types.ts';
import type { AgentTracing } from './agent-tracing.ts';

/**
 * Starts every part the config asks for; a part that fails is reported and skipped.
 * OpenTelemetry and the profiler take a few hundred ms of main-thread time to load, so they load
 * when the runner's first phase message arrives (the SUT is up by then; that phase is normally
 * the warm-up), or 3 s after start-up without one — never during the SUT's own start-up. The HTTP
 * patch lands on `Server.prototype`, so servers created earlier are traced from then on.
 */
export async function startAgent(config: AgentConfig, warn: (m: string) => void): Promise<void> {
  const sample = config.traceSample;
  const profiling = config.cpu || config.heap;
  const profiler = profiling ? new AgentProfiler(config) : null;
  let loadTracing!: () => void;
  const tracingReady = new Promise<AgentTracing | null>((resolve) => {
    loadTracing = () => {
      if (sample === null) { resolve(null); return; }
      resolve(import('./agent-tracing.ts').then((m) => m.startTracing(config, sample)).catch((e: Error) => {
        warn(`tracing is off, OpenTelemetry failed to start: ${e.message}`);
        return null;
      }));
    };
  });
  let loaded = false;
  const loadAll = () => {
    if (loaded) return;
    loaded = true;
    loadTracing();
    void profiler?.preload().catch((e: Error) => warn(`profiler failed to load: ${e.message}`));
  };
  setTimeout(loadAll, 3_000).unref();

  if (config.runtime) {
    let batch: RuntimeSample[] = [];
    startRuntimeSampler((s) => {
      batch.push(s);
      const samples = batch;
      batch = [];
      void postToRunner(config.url, { type: 'runtime', samples }).then((ok) => {
        if (!ok && batch.length < 600) batch.unshift(...samples); // keep up to 10 minutes while the runner is unreachable
      });
    });
  }

  void tracingReady.then((t) => { if (t && profiler) profiler.attachLabels(t.contextManager); });
  // Phase switches run one after another, in the order the runner sent them.
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: ControlMessage): Promise<void> => {
    try {
      // A phase starts with tracing in place (it loads on the first message).
      if (m.type === 'phase') await tracingReady;
      if (m.type === 'phase' && profiler) {
        await profiler.stop();
        if (m.phase !== null && m.measured) await profiler.start(m.phase);
      } else if (m.type === 'finish') {
        await profiler?.stop();
        await (await tracingReady)?.flush();
      }
    } catch (e) {
      warn(`${m.type} failed: ${(e as Error).message}`);
    }
    await postToRunner(config.url, { type: 'ack', seq: m.seq });
  };
  let lastSeq = 0;
  connectControl(config.url, (m) => {
    if (m.seq <= lastSeq) return; // replayed after a reconnect
    lastSeq = m.seq;
    loadAll();
    queue = queue.then(() => handle(m));
  });
  void postToRunner(config.url, { type: 'hello', pid: process.pid, node: process.version, profiling, tracing: sample !== null });
}
