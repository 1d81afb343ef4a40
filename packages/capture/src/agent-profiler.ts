/**
 * Profiling inside the SUT through @pyroscope/nodejs: for each measured phase the agent
 * re-initialises Pyroscope with a `phase` tag (tags travel in the pushed app name,
 * `app{phase=steady}`), starts the wall profiler with CPU time and the heap profiler, and at
 * the phase's end stops them, which pushes the last wall profile. Pyroscope's heap profiler
 * pushes nothing at stop, so the agent pushes a final in-use heap snapshot itself, in the
 * same /ingest format. Pyroscope and @datadog/pprof load lazily, at the first measured phase.
 */
import type { AgentConfig } from './types.ts';
import type { SpanLabellingContextManager } from './span-labels.ts';

type Pprof = typeof import('@datadog/pprof');
type Pyroscope = typeof import('@pyroscope/nodejs').default;

/** Tag values may not hold Pyroscope's separators; the receiver decodes them back. */
export function encodeTag(v: string): string {
  return encodeURIComponent(v).replace(/[=,{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const V8_TO_GO: Record<string, string> = { objects: 'inuse_objects', space: 'inuse_space' };

export class AgentProfiler {
  private readonly config: AgentConfig;
  private labels: SpanLabellingContextManager | null = null;
  private mods: { pprof: Pprof; pyroscope: Pyroscope } | null = null;
  private phase: string | null = null;
  private phaseStartedAt = 0;

  constructor(config: AgentConfig) {
    this.config = config;
  }

  /** Called once tracing is up: sampled spans label the profile from then on. */
  attachLabels(cm: SpanLabellingContextManager): void {
    this.labels = cm;
    if (this.phase !== null && this.config.cpu && this.mods) cm.profiler = this.mods.pprof.time;
  }

  /** Loads Pyroscope and @datadog/pprof ahead of the first measured phase. */
  async preload(): Promise<void> {
    await this.load();
  }

  private async load(): Promise<{ pprof: Pprof; pyroscope: Pyroscope }> {
    if (!this.mods) {
      const pprof = (await import('@datadog/pprof')).default as unknown as Pprof;
      const pyroscope = (await import('@pyroscope/nodejs')).default;
      this.mods = { pprof, pyroscope };
    }
    return this.mods;
  }

  private appName(): string {
    return this.config.serviceName.replace(/[{},=]/g, '_') || 'sut';
  }

  /** Starts profiling for a measured phase. */
  async start(phase: string): Promise<void> {
    const { pprof, pyroscope } = await this.load();
    delete process.env['PYROSCOPE_ADHOC_SERVER_ADDRESS'];
    pyroscope.init({
      appName: this.appName(),
      serverAddress: this.config.url,
      flushIntervalMs: this.config.flushIntervalMs,
      tags: { phase: encodeTag(phase), run_id: encodeTag(this.config.runId) },
      wall: { samplingIntervalMicros: this.config.wallIntervalMicros, samplingDurationMs: this.config.flushIntervalMs, collectCpuTime: true },
    });
    this.phase = phase;
    this.phaseStartedAt = Date.now();
    if (this.config.cpu) {
      // Started here with useCPED so span labels follow async continuations; Pyroscope's
      // wall profiler sees it running and keeps using it (see span-labels.ts).
      pprof.time.start({ intervalMicros: this.config.wallIntervalMicros, durationMillis: this.config.flushIntervalMs,
        withContexts: true, useCPED: true, collectCpuTime: true, workaroundV8Bug: true });
      pyroscope.startWallProfiling();
      if (this.labels) this.labels.profiler = pprof.time;
    }
    if (this.config.heap) pyroscope.startHeapProfiling();
  }

  /** Stops profiling and pushes what the phase's last interval measured. */
  async stop(): Promise<void> {
    if (this.phase === null || !this.mods) return;
    const { pprof, pyroscope } = this.mods;
    const phase = this.phase;
    this.phase = null;
    if (this.labels) this.labels.profiler = null;
    if (this.config.heap) {
      // Pyroscope's heap profiler pushes nothing when it stops: push the phase's final snapshot first.
      await this.pushHeapSnapshot(pprof, phase).catch(() => undefined);
      await pyroscope.stopHeapProfiling();
    }
    if (this.config.cpu) await pyroscope.stopWallProfiling();
  }

  private async pushHeapSnapshot(pprof: Pprof, phase: string): Promise<void> {
    const profile = pprof.heap.profile();
    const st = profile.stringTable;
    for (const t of profile.sampleType) {
      const type = V8_TO_GO[st.strings[Number(t.type)] ?? ''];
      if (type) t.type = st.dedup(type);
    }
    const body = await pprof.encode(profile);
    const q = new URLSearchParams({
      name: `${this.appName()}{phase=${encodeTag(phase)},run_id=${encodeTag(this.config.runId)}}`,
      from: String(Math.floor(this.phaseStartedAt / 1000)), until: String(Math.ceil(Date.now() / 1000)),
      format: 'pprof', spyName: 'nodespy',
    });
    await fetch(`${this.config.url}/ingest?${q}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(body), signal: AbortSignal.timeout(10_000) });
  }
}
