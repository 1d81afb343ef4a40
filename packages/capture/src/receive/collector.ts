/**
 * What the receivers collected during one run, and how it becomes rows and artifacts:
 * profiles grouped by (phase, sample types) and merged, runtime samples, warnings. Spans are
 * not kept: each decoded batch is handed on as it arrives (so a long run does not hold them
 * all, and a run that is killed has already passed them on), and only counted.
 */
import { join } from 'node:path';
import type { Profile } from 'pprof-format';
import { ProfileMerger, sampleTypeNames } from '../profile/merge.ts';
import { writePprofBytes } from '../profile/io.ts';
import { restoreIdleWall } from '../profile/idle-wall.ts';
import { functionTable, interestingTypes, profileTotal, profileTypeName } from '../profile/function-table.ts';
import type { ProfileRow } from '../profile/rows.ts';
import type { RuntimeSample } from '../protocol.ts';
import { CAPTURE_DEFAULTS, type CaptureResult, type SpanRow } from './types.ts';

interface PhaseWindow {
  phase: string;
  measured: boolean;
  startMs: number;
  endMs: number | null;
}

/** Where a profile push came from, for attribution to a phase. */
export interface PushMeta {
  phase: string | null;
  fromMs: number | null;
  untilMs: number | null;
}

/** What a collector tells its owner as data arrives. */
export interface CollectorOptions {
  /** Every problem that does not stop the run. */
  onWarning?(message: string): void;
  /** Every runtime sample, as it arrives. */
  onRuntime?(sample: RuntimeSample): void;
  /** Every decoded batch of spans within the cap, as it arrives; without it spans are only counted. */
  onSpans?(spans: SpanRow[]): void;
  /** Spans handed on before later ones are dropped with a warning. @default CAPTURE_DEFAULTS.maxSpans */
  maxSpans?: number;
  /** A profile push was added to `phase`'s profiles. */
  onProfile?(phase: string): void;
}

export class Collector {
  readonly runtime: RuntimeSample[] = [];
  readonly warnings: string[] = [];
  private readonly windows: PhaseWindow[] = [];
  private readonly groups = new Map<string, ProfileMerger>();
  private readonly options: CollectorOptions;
  private readonly maxSpans: number;
  private readonly warnedOnce = new Set<string>();
  /** Spans received and handed on (the dropped ones are not counted here). */
  spanCount = 0;
  private droppedSpans = 0;
  droppedPushes = 0;
  /** Phases whose profiles are written (finalizePhase). */
  private readonly closed = new Set<string>();
  /** Pushes that named a phase whose profiles were already written, dropped. */
  latePushes = 0;
  /** Profile file names used so far (a phase written early and one written at the end never share a file). */
  private readonly files = new Set<string>();
  /** Each group's file, the same for its snapshots and its final write. */
  private readonly fileOf = new Map<string, string>();
  private writing: Promise<void> = Promise.resolve();
  private artifactError: CaptureResult['artifactError'];

  constructor(options: CollectorOptions = {}) {
    this.options = options;
    this.maxSpans = options.maxSpans ?? CAPTURE_DEFAULTS.maxSpans;
  }

  /** Records a problem that does not stop the run. `onceKey` collapses repeats. */
  warn(message: string, onceKey?: string): void {
    if (onceKey !== undefined) {
      if (this.warnedOnce.has(onceKey)) return;
      this.warnedOnce.add(onceKey);
    }
    this.warnings.push(message);
    try {
      this.options.onWarning?.(message);
    } catch {
      /* a throwing callback must not break the receiver */
    }
  }

  /** Marks the start of a phase (or of the gap between phases when `phase` is null). */
  setPhase(phase: string | null, measured: boolean, now = Date.now()): void {
    const last = this.windows.at(-1);
    if (last && last.endMs === null) last.endMs = now;
    if (phase !== null) this.windows.push({ phase, measured, startMs: now, endMs: null });
  }

  /** The phase currently running, if any. */
  current(): PhaseWindow | undefined {
    const last = this.windows.at(-1);
    return last && last.endMs === null ? last : undefined;
  }

  /** The measured phase a push belongs to: its phase tag, else the window holding its midpoint, else the current one. */
  attribute(meta: PushMeta, now = Date.now()): string | null {
    if (meta.phase) return meta.phase;
    if (meta.fromMs !== null && meta.untilMs !== null) {
      const mid = (meta.fromMs + meta.untilMs) / 2;
      const w = this.windows.find((x) => x.measured && x.startMs <= mid && mid < (x.endMs ?? now + 1));
      if (w) return w.phase;
    }
    const cur = this.current();
    return cur?.measured ? cur.phase : null;
  }

  /**
   * Adds a decoded profile push. In-use heap profiles are snapshots, so the latest one
   * replaces earlier ones; everything else (cpu, wall, alloc deltas) is summed.
   */
  addProfile(phase: string, p: Profile): void {
    const types = sampleTypeNames(p);
    const key = `${phase}\0${types.join(',')}`;
    const snapshot = types.some((t) => t.startsWith('inuse'));
    let m = this.groups.get(key);
    if (!m || snapshot) {
      m = new ProfileMerger(p);
      this.groups.set(key, m);
    }
    m.add(p);
    try {
      this.options.onProfile?.(phase);
    } catch {
      /* the receiver answers whatever the owner does with it */
    }
  }

  /** Counts a decoded batch and hands on what fits under the cap. */
  addSpans(spans: SpanRow[]): void {
    const room = Math.max(0, this.maxSpans - this.spanCount);
    let kept = spans;
    if (spans.length > room) {
      this.droppedSpans += spans.length - room;
      this.warn(`more than ${this.maxSpans} spans received; later spans are dropped (lower traces.sample)`, 'spans-cap');
      kept = spans.slice(0, room);
    }
    if (kept.length === 0) return;
    this.spanCount += kept.length;
    try {
      this.options.onSpans?.(kept);
    } catch (err) {
      // The receiver still answers the exporter; the owner learns its spans are being lost.
      this.warn(`spans could not be handed on: ${(err as Error).message}`, 'spans-handoff');
    }
  }

  addRuntime(samples: RuntimeSample[]): void {
    for (const s of samples) {
      this.runtime.push(s);
      try {
        this.options.onRuntime?.(s);
      } catch {
        /* ignore callback errors */
      }
    }
  }

  /** Whether `phase`'s profiles were already written (finalizePhase): later pushes for it are dropped. */
  isClosed(phase: string): boolean {
    return this.closed.has(phase);
  }

  /**
   * Writes the profiles of one measured phase that has ended and returns their rows, so that
   * they can be stored while the run goes on (a run killed later keeps them); the phase's
   * merged profiles are released. Pushes that still name it are dropped (isClosed).
   */
  async finalizePhase(phase: string, artifactsDir: string): Promise<Pick<CaptureResult, 'profiles' | 'functions'>> {
    this.closed.add(phase);
    const groups = this.groupsOf(phase);
    for (const [key] of groups) this.groups.delete(key);
    return this.write(groups, artifactsDir);
  }

  /**
   * Writes the profiles of a phase still running as they stand (the files its end rewrites) and
   * returns their rows: what a run killed in this phase keeps of its profile.
   */
  async snapshotPhase(phase: string, artifactsDir: string): Promise<Pick<CaptureResult, 'profiles' | 'functions'>> {
    if (this.closed.has(phase)) return { profiles: [], functions: [] };
    return this.write(this.groupsOf(phase), artifactsDir, false);
  }

  private groupsOf(phase: string): [string, ProfileMerger][] {
    return [...this.groups].filter(([key]) => key.split('\0')[0] === phase);
  }

  /** One write at a time: a phase's snapshot and its final write go to the same files. */
  private write(
    groups: [string, ProfileMerger][],
    artifactsDir: string,
    final = true,
  ): Promise<Pick<CaptureResult, 'profiles' | 'functions'>> {
    const done = this.writing.then(() => this.writeNow(groups, artifactsDir, final));
    this.writing = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** `final`: the phase's own files (a failure is the run's artifact error); else a snapshot, whose failure only leaves it out. */
  private async writeNow(
    groups: [string, ProfileMerger][],
    artifactsDir: string,
    final: boolean,
  ): Promise<Pick<CaptureResult, 'profiles' | 'functions'>> {
    const profiles: ProfileRow[] = [];
    const functions: CaptureResult['functions'] = [];
    for (const [key, m] of groups) {
      const phase = key.split('\0')[0]!;
      const p = m.out;
      // Everything that reads the profile runs before the first await: pushes merged meanwhile would
      // meet the idle wall time restored here, which is taken back out (the merger sums raw pushes).
      const restored = restoreIdleWall(p);
      const names = sampleTypeNames(p);
      const types = interestingTypes(p);
      const kinds = types.map((i) => profileTypeName(names[i]!));
      const kind = kinds.includes('cpu') ? 'cpu' : kinds.includes('heap') ? 'heap' : (kinds[0] ?? 'profile');
      let file = this.fileOf.get(key);
      if (file === undefined) {
        file = `${phase.replace(/[^\w@.=-]+/g, '_')}.${kind}`;
        for (let i = 2; this.files.has(file); i++) file = `${file}-${i}`;
        this.files.add(file);
        this.fileOf.set(key, file);
      }
      const path = join(artifactsDir, 'profiles', `${file}.pb.gz`);
      const rows = types.map((i) => ({
        phase,
        type: profileTypeName(names[i]!),
        path,
        sample_type: names[i]!,
        unit: p.stringTable.strings[Number(p.sampleType[i]!.unit)] ?? '',
        total: profileTotal(p, i),
      }));
      const fns = types.flatMap((i) => functionTable(p, i, phase));
      const encoded = p.encode();
      restored.undo();
      // A file that cannot be written loses only itself: its function table is still kept.
      try {
        await writePprofBytes(path, encoded);
        profiles.push(...rows);
      } catch (err) {
        if (!final) continue;
        const e = err as NodeJS.ErrnoException;
        this.artifactError ??= { code: e.code ?? 'EIO', path, message: e.message };
        this.warn(`could not write ${path}: ${e.code ?? e.message}; its function table is kept`);
      }
      functions.push(...fns);
    }
    return { profiles, functions };
  }

  /** Writes one gzipped pprof per (phase, kind) still held under `<artifactsDir>/profiles/` and builds the rows. */
  async finalize(artifactsDir: string): Promise<CaptureResult> {
    const { profiles, functions } = await this.write([...this.groups], artifactsDir);
    this.groups.clear();
    if (this.droppedSpans > 0) this.warn(`${this.droppedSpans} spans were dropped over the ${this.maxSpans} cap`);
    return {
      profiles,
      functions,
      spanCount: this.spanCount,
      runtime: this.runtime,
      warnings: this.warnings,
      ...(this.artifactError ? { artifactError: this.artifactError } : {}),
    };
  }
}
