/**
 * The perf side of a capture session: phase marks on CLOCK_MONOTONIC, `perf record` on the
 * service once its pid is known, and at the end one pprof per measured phase handed to the
 * collector, exactly where the agent's CPU profiles go.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Profile } from 'pprof-format';
import type { PerfSetup } from './perf-check.ts';
import { PerfPhaseProfiles } from './perf-pprof.ts';
import { PhaseTimeline } from './perf-phases.ts';
import { PerfRecorder } from './perf-recorder.ts';

/** Node flags a perf-profiled service gets in NODE_OPTIONS: JIT frames named in /tmp/perf-<pid>.map, interpreted frames on the native stack. */
export const PERF_NODE_FLAGS = ['--perf-basic-prof', '--interpreted-frames-native-stack'] as const;

/** perf's data file while it records; a run that is killed leaves it in its folder, readable with `perf report -i`. */
export const PERF_DATA_FILE = 'headroom-perf.data';

/** How long perf gets to write its file after SIGINT before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** What the perf part of a session reports at the end. */
export interface PerfOutcome {
  profiles: { phase: string; profile: Profile; samples: number }[];
  warnings: string[];
}

/** Records the service with perf and splits the samples by measured phase. */
export class PerfCapture {
  readonly timeline = new PhaseTimeline();
  private readonly setup: PerfSetup;
  private readonly hz: number;
  private readonly callGraph: 'fp' | 'dwarf';
  private readonly warn: (m: string) => void;
  private recorder: PerfRecorder | null = null;
  private readonly file: string;
  /** Before the service started: JIT maps born since are this run's. */
  private readonly createdMs = Date.now();

  /** `dir`: where perf writes its data file while it records (the run's profiles folder); removed once read. */
  constructor(setup: PerfSetup, hz: number, callGraph: 'fp' | 'dwarf', dir: string, warn: (m: string) => void) {
    this.file = join(dir, PERF_DATA_FILE);
    this.setup = setup;
    this.hz = hz;
    this.callGraph = callGraph;
    this.warn = warn;
  }

  /** Starts `perf record` on `pid`, perf pinned to `cpus`. */
  attach(pid: number, cpus: readonly number[]): void {
    if (this.recorder) return;
    mkdirSync(dirname(this.file), { recursive: true });
    this.recorder = PerfRecorder.start({
      setup: this.setup,
      pid,
      hz: this.hz,
      callGraph: this.callGraph,
      cpus,
      file: this.file,
      onEarlyExit: (m) => this.warn(`${m}; the CPU profile covers the run up to then`),
    });
  }

  /** perf record's pid, or -1 before attach. */
  get pid(): number {
    return this.recorder?.pid ?? -1;
  }

  /** Stops perf (always), reads its samples and builds a profile per measured phase. Never throws: problems are warnings. */
  async finish(): Promise<PerfOutcome> {
    const warnings: string[] = [];
    const rec = this.recorder;
    if (!rec) return { profiles: [], warnings };
    const endNs = Number(process.hrtime.bigint());
    const stopped = await rec.stop(STOP_TIMEOUT_MS);
    if (stopped) warnings.push(stopped);
    const phases = new PerfPhaseProfiles(this.hz, this.timeline);
    const pids = new Set<number>();
    try {
      await rec.script((s) => {
        pids.add(s.pid);
        phases.add(s);
      });
    } catch (err) {
      warnings.push(`the perf recording could not be read: ${(err as Error).message}`);
    }
    this.cleanUp(pids);
    return { profiles: phases.profiles(endNs), warnings };
  }

  /** Removes perf's data file and the JIT maps Node wrote for this run's processes (they grow for as long as a process runs). */
  private cleanUp(pids: Set<number>): void {
    rmSync(this.file, { force: true });
    for (const pid of pids) {
      const map = `/tmp/perf-${pid}.map`;
      try {
        if (statSync(map).birthtimeMs >= this.createdMs - 1000) rmSync(map, { force: true });
      } catch {
        /* no map: not a Node process */
      }
    }
  }
}
