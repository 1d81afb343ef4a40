/**
 * Profiling inside the SUT through @pyroscope/nodejs: for each measured phase the agent
 * re-initialises Pyroscope with a `phase` tag (tags travel in the pushed app name,
 * `app{phase=steady}`), starts the wall profiler with CPU time and the heap profiler, and at
 * the phase's end stops them, which pushes the last wall profile. Pyroscope's heap profiler
 * pushes nothing at stop, so the agent pushes a final in-use heap snapshot itself, in the
 * same /ingest format. Pyroscope and @datadog/pprof load lazily, at the first measured phase.
 */
import type { AgentConfig } from '../protocol.ts';
import type { AgentIO } from './io.ts';
import type { SpanLabellingContextManager } from './span-label-context.ts';

type Pprof = typeof import('@datadog/pprof');
type Pyroscope = typeof import('@pyroscope/nodejs').default;

/** What the agent touches of Pyroscope 0.6.4's internals: the profiler `init` made, and its exporters. */
interface ProfileExport {
  profile: unknown;
  startedAt: Date;
  stoppedAt: Date;
  sampleRate?: number;
}
interface PyroscopeExporter {
  export(e: ProfileExport): Promise<void>;
}
interface ApiExporter extends PyroscopeExporter {
  buildUploadProfileBody(profile: unknown): Promise<Uint8Array>;
  buildEndpointUrl(e: ProfileExport): URL;
}
interface PyroscopeInternals {
  getProfiler(): { wallProfiler: { exporter: PyroscopeExporter }; heapProfiler: { exporter: PyroscopeExporter } };
}

/** Tag values may not hold Pyroscope's separators; the receiver decodes them back. */
export function encodeTag(v: string): string {
  return encodeURIComponent(v).replace(/[=,{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const V8_TO_GO: Record<string, string> = { objects: 'inuse_objects', space: 'inuse_space' };

export class AgentProfiler {
  private readonly config: AgentConfig;
  private readonly io: AgentIO;
  private labels: SpanLabellingContextManager | null = null;
  private mods: { pprof: Pprof; pyroscope: Pyroscope; internals: PyroscopeInternals } | null = null;
  private phase: string | null = null;
  private phaseStartedAt = 0;

  constructor(config: AgentConfig, io: AgentIO) {
    this.config = config;
    this.io = io;
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

  private async load(): Promise<{ pprof: Pprof; pyroscope: Pyroscope; internals: PyroscopeInternals }> {
    if (!this.mods) {
      const pprof = (await import('@datadog/pprof')).default as unknown as Pprof;
      const pyroscope = (await import('@pyroscope/nodejs')).default;
      // Not in the package's exports: imported by file URL, next to the entry point it belongs to.
      const entry = import.meta.resolve('@pyroscope/nodejs');
      const internals = (await import(new URL('./utils/pyroscope-profiler.js', entry).href)) as PyroscopeInternals;
      this.mods = { pprof, pyroscope, internals };
    }
    return this.mods;
  }

  /**
   * Pyroscope pushes with the global fetch from the SUT's main thread; its exporters are
   * swapped for one that encodes the same request (Pyroscope's own body and URL builders)
   * and hands it to the agent's I/O thread (see agent-io.ts for why).
   */
  private routeExportsThroughIo(internals: PyroscopeInternals): void {
    const p = internals.getProfiler();
    const api = p.wallProfiler.exporter as ApiExporter;
    if (typeof api.buildUploadProfileBody !== 'function' || typeof api.buildEndpointUrl !== 'function') return; // another Pyroscope: leave it be
    const viaIo: PyroscopeExporter = {
      export: async (e) => {
        const body = await api.buildUploadProfileBody(e.profile);
        await this.io.post(api.buildEndpointUrl(e).toString(), 'application/octet-stream', body, 10_000);
      },
    };
    p.wallProfiler.exporter = viaIo;
    p.heapProfiler.exporter = viaIo;
  }

  private appName(): string {
    return this.config.serviceName.replace(/[{},=]/g, '_') || 'sut';
  }

  /** Starts profiling for a measured phase. */
  async start(phase: string): Promise<void> {
    const { pprof, pyroscope, internals } = await this.load();
    delete process.env['PYROSCOPE_ADHOC_SERVER_ADDRESS'];
    pyroscope.init({
      appName: this.appName(),
      serverAddress: this.config.url,
      flushIntervalMs: this.config.flushIntervalMs,
      tags: { phase: encodeTag(phase), run_id: encodeTag(this.config.runId) },
      wall: {
        samplingIntervalMicros: this.config.wallIntervalMicros,
        samplingDurationMs: this.config.flushIntervalMs,
        collectCpuTime: this.config.collectCpuTime,
      },
      heap: { samplingIntervalBytes: this.config.heapIntervalBytes },
    });
    this.routeExportsThroughIo(internals);
    this.phase = phase;
    this.phaseStartedAt = Date.now();
    if (this.config.cpu) {
      // Started here with useCPED so span labels follow async continuations; Pyroscope's
      // wall profiler sees it running and keeps using it (see span-labels.ts).
      pprof.time.start({
        intervalMicros: this.config.wallIntervalMicros,
        durationMillis: this.config.flushIntervalMs,
        withContexts: true,
        useCPED: true,
        collectCpuTime: this.config.collectCpuTime,
        workaroundV8Bug: true,
      });
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
      from: String(Math.floor(this.phaseStartedAt / 1000)),
      until: String(Math.ceil(Date.now() / 1000)),
      format: 'pprof',
      spyName: 'nodespy',
    });
    await this.io.post(`${this.config.url}/ingest?${q}`, 'application/octet-stream', new Uint8Array(body), 10_000);
  }
}
