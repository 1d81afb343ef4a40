import { mkdirSync } from 'node:fs';
import type { Scenario } from '@headroom/core';
import type { SampleBus } from './bus.ts';
import { SpanBatcher } from './span-batcher.ts';

/** The runner's view of a capture session: what the SUT needs, phase marks, and the results at the end. */
export interface ServiceCapture {
  nodeArgs: string[];
  env: Record<string, string>;
  /** The service runs as `pid`: a perf profiler starts recording it. */
  attach(pid: number): void;
  /** `durationMs`: the phase's planned length; perf's samples after it (the service draining) stay out of its profile. */
  setPhase(phase: string | null, measured: boolean, durationMs?: number): Promise<void>;
  /**
   * Stops the receivers, publishes the spans still waiting and the profiles on the bus; returns the
   * error of an artifact that could not be written. (Spans are published as they arrive, in batches.)
   */
  finish(): Promise<(NodeJS.ErrnoException & { path: string }) | null>;
}

/**
 * Starts the embedded receivers and prepares the agent when the scenario asks for any
 * capture. A capture that cannot start is a warning: the load run goes on without it.
 */
export async function startServiceCapture(
  scenario: Scenario,
  runId: string,
  artifactsDir: string,
  bus: SampleBus,
  warn: (m: string) => void,
): Promise<ServiceCapture | null> {
  const svc = scenario.service;
  if (!svc) return null;
  const c = svc.capture;
  if (!c.cpu && !c.heap && !c.traces && !c.runtime) return null;
  const byPerf = c.cpu && c.cpuProfiler === 'perf';
  // Before the service starts and before any load: a perf that cannot run fails the run with the fix.
  const perf = byPerf ? (await import('@headroom/capture')).checkPerf() : undefined;
  // perf runs with headroom, on the generator's CPUs, never on the service's.
  const perfCpus = scenario.workers.cpus.filter((cpu) => !svc.cpus.includes(cpu));
  const isNode = svc.command[0] === 'node' || /(^|\/)node(\d+)?$/.test(svc.command[0] ?? '');
  try {
    mkdirSync(artifactsDir, { recursive: true });
    const { startCapture, PERF_NODE_FLAGS } = await import('@headroom/capture');
    // Spans go to the bus (and the store's spool) while the run goes on, not held until its end.
    const spans = new SpanBatcher((batch) => bus.publish({ type: 'spans', spans: batch }));
    const session = await startCapture({
      runId,
      artifactsDir,
      capture: c,
      serviceName: scenario.name,
      onWarning: (m: string) => warn(`capture: ${m}`),
      onRuntimeSample: (sample) => bus.publish({ type: 'runtime', sample }),
      onSpans: (batch) => spans.add(batch),
      // A phase's profiles are stored when it ends, not at the run's end: a run killed later keeps them.
      onPhaseProfiles: (rows) => bus.publish({ type: 'profiles', ...rows }),
      onRunningProfiles: (rows) => bus.publish({ type: 'profiles-progress', ...rows }),
      ...(perf ? { perf, perfCallGraph: c.cpuCallGraph ?? (isNode ? 'fp' : 'dwarf') } : {}),
    });
    const env = { ...session.env };
    if (perf) {
      // In NODE_OPTIONS rather than the command line: node processes the service starts get them too, and perf follows those.
      const base = svc.env['NODE_OPTIONS'] ?? process.env['NODE_OPTIONS'] ?? '';
      env['NODE_OPTIONS'] = [base, ...PERF_NODE_FLAGS].filter((x) => x !== '').join(' ');
      if (!perf.kernelFrames)
        warn('capture: perf sees user-space frames only here (kernel.perf_event_paranoid is 2 and headroom is not root)');
    }
    if (!isNode && ((c.cpu && !byPerf) || c.heap))
      warn(
        `capture: ${svc.command[0]} is not node, so the agent is not preloaded; point its Pyroscope SDK at ${session.receivers.pyroscope} and its OTLP exporter at ${session.receivers.otlp}`,
      );
    return {
      nodeArgs: isNode ? session.nodeArgs : [],
      env,
      attach: (pid) => session.attach(pid, perfCpus),
      setPhase: (phase, measured, durationMs) => session.setPhase(phase, measured, durationMs),
      finish: async () => {
        // The last spans the agent flushed go out even when finishing fails.
        const r = await session.finish().finally(() => spans.flush());
        for (const w of r.warnings) warn(`capture: ${w}`);
        bus.publish({ type: 'profiles', profiles: r.profiles, functions: r.functions });
        if (!r.artifactError) return null;
        return Object.assign(new Error(r.artifactError.message), { code: r.artifactError.code, path: r.artifactError.path });
      },
    };
  } catch (err) {
    warn(`capture could not start, the run continues without it: ${(err as Error).message}`);
    return null;
  }
}
