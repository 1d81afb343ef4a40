/**
 * Profiling inside the SUT through @pyroscope/nodejs: for each measured phase the agent
 * re-initialises Pyroscope with a `phase` tag (tags travel in the pushed app name,
 * `app{phase=steady}`), starts the wall profiler with CPU time and the heap profiler, and at
 * the phase's end pushes the last wall profile. Pyroscope's heap profiler pushes nothing at
 * stop, so the agent pushes a final in-use heap snapshot itself, in the same /ingest format.
 * Pyroscope and @datadog/pprof load with the agent, before the SUT's own code.
 *
 * V8's CPU profiler is started once, when the agent loads, and kept running until the run
 * finishes: phases only rotate its profile. Started and stopped per phase (and rotated every
 * flush with @datadog/pprof's workaroundV8Bug, see startWall) it blocked the service's event
 * loop inside the measured window: bench/capture-phase-stall.ts, largest loop delay of a
 * small service at 500 req/s (5 runs), 56-85 ms at a measured phase's start, 54-68 ms at
 * each step's start and 30-47 ms at the 10-s flush, against a median of 2-2.5 ms (p95 5-6.8)
 * in the other windows; rotating instead, 5-10 ms.
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
  config?: { stripFilenames?: unknown; shortenPaths?: boolean };
}
/** Pyroscope 0.6.4's utils/process-profile.js: the renames and paths its upload body gets before encoding. */
type ProcessProfile = (profile: unknown, options: { stripFilenames?: unknown; shortenPaths?: boolean }) => { encode(): Uint8Array };
/** Pyroscope 0.6.4's ContinuousProfiler, as rotateWall drives it. */
interface ContinuousWall {
  timer: ReturnType<typeof setTimeout> | undefined;
  lastExport: Promise<void> | undefined;
  profiler: { profile(): ProfileExport };
  exporter: PyroscopeExporter;
}
interface PyroscopeInternals {
  getProfiler(): { wallProfiler: { exporter: PyroscopeExporter }; heapProfiler: { exporter: PyroscopeExporter } };
}

/** Tag values may not hold Pyroscope's separators; the receiver decodes them back. */
export function encodeTag(v: string): string {
  return encodeURIComponent(v).replace(/[=,{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const V8_TO_GO: Record<string, string> = { objects: 'inuse_objects', space: 'inuse_space' };

interface Mods {
  pprof: Pprof;
  pyroscope: Pyroscope;
  internals: PyroscopeInternals;
  processProfile: ProcessProfile | null;
}

export class AgentProfiler {
  private readonly config: AgentConfig;
  private readonly io: AgentIO;
  private labels: SpanLabellingContextManager | null = null;
  private mods: Mods | null = null;
  private phase: string | null = null;
  private phaseStartedAt = 0;
  /** V8's profiler is running and what it has sampled since its last rotation belongs to no measured phase. */
  private wallUnclaimed = false;
  /** When V8's current profile began (performance.now()). */
  private segmentStart = 0;

  constructor(config: AgentConfig, io: AgentIO) {
    this.config = config;
    this.io = io;
  }

  /** Called once tracing is up: sampled spans label the profile from then on. */
  attachLabels(cm: SpanLabellingContextManager): void {
    this.labels = cm;
    if (this.phase !== null && this.config.cpu && this.mods) cm.profiler = this.mods.pprof.time;
  }

  /** Loads Pyroscope and @datadog/pprof and starts V8's CPU profiler, ahead of the first measured phase. */
  async preload(): Promise<void> {
    const { pprof } = await this.load();
    if (this.config.cpu && !pprof.time.isStarted()) {
      this.startWall(pprof);
      this.wallUnclaimed = true;
    }
  }

  /**
   * With useCPED span labels follow async continuations; Pyroscope's wall profiler sees it
   * running and keeps using it (see span-label-context.ts). `workaroundV8Bug` (on in
   * Pyroscope and dd-trace, which flush once a minute) makes every start and rotation wait
   * for two profiler signals on the SUT's main thread, against a V8 race that can leave the
   * profiler's event processor stuck: 35-44 ms of blocked event loop per rotation at 49 Hz
   * (the signals are ~20 ms apart), against 2-4 ms without it. @datadog/pprof detects the
   * stuck processor at the next rotation and restarts the profiler itself; the agent reports
   * when that happened (see reportStuck).
   */
  private startWall(pprof: Pprof): void {
    this.segmentStart = performance.now();
    pprof.time.start({
      intervalMicros: this.config.wallIntervalMicros,
      durationMillis: this.config.flushIntervalMs,
      withContexts: true,
      useCPED: true,
      collectCpuTime: this.config.collectCpuTime,
      workaroundV8Bug: false,
    });
  }

  private async load(): Promise<Mods> {
    if (!this.mods) {
      const pprof = (await import('@datadog/pprof')).default as unknown as Pprof;
      const pyroscope = (await import('@pyroscope/nodejs')).default;
      // Not in the package's exports: imported by file URL, next to the entry point they belong to.
      const entry = import.meta.resolve('@pyroscope/nodejs');
      const internals = (await import(new URL('./utils/pyroscope-profiler.js', entry).href)) as PyroscopeInternals;
      const processProfile = await import(new URL('./utils/process-profile.js', entry).href)
        .then((m: { processProfile?: ProcessProfile }) => (typeof m.processProfile === 'function' ? m.processProfile : null))
        .catch(() => null);
      this.mods = { pprof, pyroscope, internals, processProfile };
    }
    return this.mods;
  }

  /**
   * Pyroscope pushes with the global fetch from the SUT's main thread; its exporters are
   * swapped for one that encodes the same request (Pyroscope's own profile processing and URL
   * builder) and hands it to the agent's I/O thread to gzip and post (see io.ts for why).
   */
  private routeExportsThroughIo(internals: PyroscopeInternals): void {
    const p = internals.getProfiler();
    const api = p.wallProfiler.exporter as ApiExporter;
    if (typeof api.buildUploadProfileBody !== 'function' || typeof api.buildEndpointUrl !== 'function') return; // another Pyroscope: leave it be
    const processProfile = this.mods?.processProfile ?? null;
    const viaIo: PyroscopeExporter = {
      export: async (e) => {
        const url = api.buildEndpointUrl(e).toString();
        if (processProfile === null) {
          await this.io.post(url, 'application/octet-stream', await api.buildUploadProfileBody(e.profile), 10_000);
          return;
        }
        // Pyroscope's body, but gzipped on the I/O thread (see AgentIO.post).
        const raw = processProfile(e.profile, {
          stripFilenames: api.config?.stripFilenames,
          shortenPaths: api.config?.shortenPaths,
        }).encode();
        await this.io.post(url, 'application/octet-stream', raw, 10_000, true);
      },
    };
    p.wallProfiler.exporter = viaIo;
    p.heapProfiler.exporter = viaIo;
  }

  private appName(): string {
    return this.config.serviceName.replace(/[{},=]/g, '_') || 'sut';
  }

  /** Starts profiling for a measured phase. */
  private async start(phase: string): Promise<void> {
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
      if (!pprof.time.isStarted()) this.startWall(pprof);
      this.wallUnclaimed = false;
      pyroscope.startWallProfiling();
      this.noteFlushes(internals);
      if (this.labels) this.labels.profiler = pprof.time;
    }
    if (this.config.heap) pyroscope.startHeapProfiling();
  }

  /**
   * Moves to the runner's next phase. A measured phase that ends pushes its last profiles
   * (rotating V8's profile); what was sampled while no phase was measured (the SUT's
   * start-up, a warm-up) is dropped when that stretch ends, so the next measured phase starts
   * on a fresh profile without a second rotation (one right after another finds an empty
   * profile, which @datadog/pprof takes for a stuck profiler and answers with a full restart:
   * ~46 ms of blocked event loop).
   */
  async switchTo(phase: string | null, measured: boolean): Promise<void> {
    const wasMeasured = this.phase !== null;
    await this.stop();
    if (!wasMeasured) this.dropUnclaimed();
    if (phase !== null && measured) await this.start(phase);
  }

  private dropUnclaimed(): void {
    const time = this.mods?.pprof.time;
    if (!this.config.cpu || !this.wallUnclaimed || !time?.isStarted()) return;
    this.rotate(() => time.stop(true));
  }

  /**
   * Ends V8's current profile with `end` (a restarting stop) and returns what it gave, or
   * null when that profile is shorter than three sampling intervals: it is then kept (at most
   * two samples, ~41 ms at 49 Hz, which count towards the next stretch), because it could be
   * empty, which @datadog/pprof takes for a stuck profiler and answers with a full restart.
   */
  private rotate<T>(end: () => T): T | null {
    const began = this.segmentStart;
    if (performance.now() - began < (3 * this.config.wallIntervalMicros) / 1000) return null;
    const ended = end();
    this.segmentStart = performance.now();
    this.reportStuck(this.segmentStart - began);
    return ended;
  }

  /** Pyroscope's own flushes rotate the profile too: noted, so a phase that ends just after one is not rotated again at once. */
  private noteFlushes(internals: PyroscopeInternals): void {
    const inner = (internals.getProfiler().wallProfiler as unknown as Partial<ContinuousWall>).profiler;
    if (typeof inner?.profile !== 'function') return;
    const profile = inner.profile.bind(inner);
    inner.profile = () => {
      const e = profile();
      this.segmentStart = performance.now();
      return e;
    };
  }

  /** Stops profiling and pushes what the phase's last interval measured. */
  private async stop(): Promise<void> {
    if (this.phase === null || !this.mods) return;
    const { pprof, pyroscope, internals } = this.mods;
    const phase = this.phase;
    this.phase = null;
    if (this.labels) this.labels.profiler = null;
    if (this.config.heap) {
      // Pyroscope's heap profiler pushes nothing when it stops: push the phase's final snapshot first.
      await this.pushHeapSnapshot(pprof, phase).catch(() => undefined);
      await pyroscope.stopHeapProfiling();
    }
    if (this.config.cpu) await this.rotateWall(internals);
  }

  /**
   * Pushes the phase's last wall profile and leaves V8's profiler running: what Pyroscope
   * 0.6.4's ContinuousProfiler.stop does, but with a restarting `profile()` in place of
   * `stop()`. Another Pyroscope gets its own stop.
   */
  private async rotateWall(internals: PyroscopeInternals): Promise<void> {
    const wall = internals.getProfiler().wallProfiler as unknown as Partial<ContinuousWall>;
    if (typeof wall.profiler?.profile !== 'function' || !('timer' in wall) || !wall.exporter) {
      await this.mods!.pyroscope.stopWallProfiling();
      return;
    }
    clearTimeout(wall.timer);
    wall.timer = undefined;
    await wall.lastExport;
    this.wallUnclaimed = true;
    // Null right after one of Pyroscope's flushes: the few samples since then go with the next stretch.
    const last = this.rotate(() => wall.profiler!.profile());
    if (last !== null) await wall.exporter.export(last);
  }

  /**
   * @datadog/pprof found V8's profiler event processor stuck at the last rotation (and
   * restarted it). It judges by an empty profile, which is also what a profile of the first
   * moments after the profiler started can be (V8 is still processing the code it logged at
   * start): reported only for a profile of a second or more.
   */
  private reportStuck(ms: number): void {
    if (ms < 1000 || !(this.mods!.pprof.time.v8ProfilerStuckEventLoopDetected() > 0)) return;
    const message = `V8's CPU profiler had stopped processing samples (a known V8 race) and was restarted: a CPU profile of ${(ms / 1000).toFixed(1)} s may be missing samples`;
    void this.io.send({ type: 'warning', message });
  }

  /** Stops V8's CPU profiler at the end of the run. */
  async finish(): Promise<void> {
    await this.stop();
    const time = this.mods?.pprof.time;
    if (time?.isStarted()) time.stop(false);
    this.wallUnclaimed = false;
  }

  private async pushHeapSnapshot(pprof: Pprof, phase: string): Promise<void> {
    const profile = pprof.heap.profile();
    const st = profile.stringTable;
    for (const t of profile.sampleType) {
      const type = V8_TO_GO[st.strings[Number(t.type)] ?? ''];
      if (type) t.type = st.dedup(type);
    }
    const raw = profile.encode();
    const q = new URLSearchParams({
      name: `${this.appName()}{phase=${encodeTag(phase)},run_id=${encodeTag(this.config.runId)}}`,
      from: String(Math.floor(this.phaseStartedAt / 1000)),
      until: String(Math.ceil(Date.now() / 1000)),
      format: 'pprof',
      spyName: 'nodespy',
    });
    await this.io.post(`${this.config.url}/ingest?${q}`, 'application/octet-stream', raw, 10_000, true);
  }
}
