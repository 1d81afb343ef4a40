/**
 * The agent proper (loaded by agent.ts): tracing at start-up, runtime metrics every second,
 * profiling switched on and off by the runner's phase messages, all flushed on `finish`.
 */
import { connectControl, postToRunner } from './agent-control.ts';
import { startRuntimeSampler } from './agent-runtime.ts';
import { AgentProfiler } from './agent-profiler.ts';
import type { AgentConfig, ControlMessage, RuntimeSample } from './types.ts';
import type { AgentTracing } from './agent-tracing.ts';

/** Starts every part the config asks for; a part that fails is reported and skipped. */
export async function startAgent(config: AgentConfig, warn: (m: string) => void): Promise<void> {
  let tracing: AgentTracing | null = null;
  if (config.traceSample !== null) {
    try {
      const { startTracing } = await import('./agent-tracing.ts');
      tracing = startTracing(config, config.traceSample);
    } catch (e) {
      warn(`tracing is off, OpenTelemetry failed to start: ${(e as Error).message}`);
    }
  }

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

  const profiling = config.cpu || config.heap;
  const profiler = profiling ? new AgentProfiler(config, tracing?.contextManager ?? null) : null;
  // Phase switches run one after another, in the order the runner sent them.
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: ControlMessage): Promise<void> => {
    try {
      if (m.type === 'phase' && profiler) {
        await profiler.stop();
        if (m.phase !== null && m.measured) await profiler.start(m.phase);
      } else if (m.type === 'finish') {
        await profiler?.stop();
        await tracing?.flush();
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
    queue = queue.then(() => handle(m));
  });
  void postToRunner(config.url, { type: 'hello', pid: process.pid, node: process.version, profiling, tracing: tracing !== null });
}
