/**
 * Which segment runs make one execution: the same scenario and config (but each machine's own
 * choice of worker CPUs), the same segment count n, every index 0..n−1 exactly once, finished,
 * started within 1 s of each other (else they did not load the target together). Bundles may hold more (a store reused by several executions);
 * exactly one complete execution is merged, or the one `--start-at` names. Anything else is
 * refused with what is wrong and how to fix it.
 */
import { dirname, sep } from 'node:path';
import { HeadroomError, UsageError, type SegmentRecord } from '@headroom/core';
import type { StoredRun } from '@headroom/store';

/** A segment run found in a bundle. */
export interface SegmentRun {
  run: StoredRun;
  /** The bundle it was read from, as given on the command line. */
  bundle: string;
  /** What `headroom run --segment i/n` stored in its `runs.config.segment`. */
  segment: SegmentRecord;
}

/** The chosen execution's segments (in index order) and the segment runs left out. */
export interface PickedExecution {
  segments: SegmentRun[];
  ignored: SegmentRun[];
}

/** Options of {@link pickExecution}. */
export interface PickExecutionOptions {
  /** Only the execution whose segments started at this ISO instant (within 1 s). @default the one complete execution */
  startAt?: string;
}

/** Segments further apart than this did not load the target together. */
export const MAX_START_SKEW_MS = 1000;

/** The segment a run's config describes, or null for a run that is not a segment. */
export function segmentOf(run: StoredRun): SegmentRecord | null {
  const s = (run.config as { segment?: Partial<SegmentRecord> } | null)?.segment;
  if (!s || typeof s.index !== 'number' || typeof s.count !== 'number' || typeof s.startAt !== 'string') return null;
  return { index: s.index, count: s.count, startAt: s.startAt, workers: typeof s.workers === 'number' ? s.workers : 0 };
}

/** `2/4`: a segment as users name it. */
export function label(s: SegmentRun): string {
  return `${s.segment.index}/${s.segment.count}`;
}

/** Picks the one execution to merge among the segment runs found in `bundles`. */
export function pickExecution(
  found: readonly SegmentRun[],
  bundles: readonly string[],
  options: PickExecutionOptions = {},
): PickedExecution {
  if (found.length === 0)
    throw new HeadroomError(
      'E_NO_SEGMENTS',
      `no segment run in ${describePaths(bundles)}: merge takes the stores (or runs export folders) of runs made with headroom run --segment i/n`,
    );
  let candidates = [...found];
  if (options.startAt !== undefined) {
    const at = Date.parse(options.startAt);
    if (Number.isNaN(at))
      throw new UsageError(`--start-at "${options.startAt}" is not an ISO instant (e.g. 2026-12-03T18:40:00Z)`, 'E_OPTION_VALUE');
    candidates = found.filter((s) => Math.abs(startOf(s) - at) <= MAX_START_SKEW_MS);
    if (candidates.length === 0)
      throw new HeadroomError(
        'E_NO_SEGMENTS',
        `no segment run in ${describePaths(bundles)} started at ${options.startAt} (within 1 s); its executions started at:\n${listExecutions(executions(found))}`,
      );
  }
  const groups = executions(candidates);
  const complete = groups.filter((g) => problemOf(g) === null);
  if (complete.length > 1)
    throw new HeadroomError(
      'E_SEGMENTS_AMBIGUOUS',
      `${describePaths(bundles)} hold ${complete.length} complete executions; choose one with --start-at <iso>:\n${listExecutions(complete)}`,
    );
  const chosen = complete[0];
  if (!chosen) throw problemOf(candidates) ?? new HeadroomError('E_SEGMENTS_INCOMPLETE', 'the segments do not form one execution');
  const ids = new Set(chosen.map((s) => s.run.id));
  return { segments: [...chosen].sort((a, b) => a.segment.index - b.segment.index), ignored: found.filter((s) => !ids.has(s.run.id)) };
}

/** Segments grouped by scenario and count, then by start (each group within 1 s of its earliest). */
function executions(segments: readonly SegmentRun[]): SegmentRun[][] {
  const byKey = new Map<string, SegmentRun[]>();
  for (const s of segments) {
    const k = `${s.run.scenario}\u0000${s.segment.count}`;
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  const out: SegmentRun[][] = [];
  for (const list of byKey.values()) {
    let group: SegmentRun[] = [];
    for (const s of [...list].sort((a, b) => startOf(a) - startOf(b))) {
      const anchor = group[0];
      if (anchor && startOf(s) - startOf(anchor) > MAX_START_SKEW_MS) {
        out.push(group);
        group = [];
      }
      group.push(s);
    }
    out.push(group);
  }
  return out.sort((a, b) => startOf(a[0] as SegmentRun) - startOf(b[0] as SegmentRun));
}

/** Why these segments are not one complete execution (the first problem found), or null when they are. */
function problemOf(segments: readonly SegmentRun[]): HeadroomError | null {
  const where = (s: SegmentRun) => `${label(s)} in ${s.bundle}`;
  const scenarios = distinct(segments.map((s) => s.run.scenario));
  if (scenarios.length > 1)
    return new HeadroomError(
      'E_SEGMENT_MISMATCH',
      `the segments are of different scenarios (${scenarios
        .map(
          (n) =>
            `${n}: ${segments
              .filter((s) => s.run.scenario === n)
              .map(where)
              .join(', ')}`,
        )
        .join('; ')}): merge the segments of one execution`,
    );
  const counts = distinct(segments.map((s) => String(s.segment.count)));
  if (counts.length > 1)
    return new HeadroomError(
      'E_SEGMENT_MISMATCH',
      `the segments disagree on how many there are (${segments.map(where).join(', ')}): every segment of one execution runs with the same --segment i/n`,
    );
  const byStart = [...segments].sort((a, b) => startOf(a) - startOf(b));
  const [early, late] = [byStart[0] as SegmentRun, byStart[byStart.length - 1] as SegmentRun];
  const skew = startOf(late) - startOf(early);
  if (skew > MAX_START_SKEW_MS)
    return new HeadroomError(
      'E_SEGMENT_SKEW',
      `segments started ${formatSeconds(skew)} apart (${label(early)} at ${early.segment.startAt}, ${label(late)} at ${late.segment.startAt}): they did not load the target together; run them with the same --start-at (or pick one execution of several with merge --start-at <iso>)`,
    );
  const running = segments.find((s) => s.run.status === 'running');
  if (running)
    return new HeadroomError(
      'E_SEGMENTS_INCOMPLETE',
      `segment ${where(running)} (run ${running.run.id}) is still running: merge once every segment has finished`,
    );
  const ref = [...segments].sort((a, b) => a.segment.index - b.segment.index)[0] as SegmentRun;
  for (const s of segments) {
    const d = firstDifference(comparable(ref.run.config), comparable(s.run.config), 'config');
    if (d)
      return new HeadroomError(
        'E_SEGMENT_MISMATCH',
        `segment ${where(s)} ran another config than segment ${where(ref)}: ${d}; the segments of one execution run the same scenario with the same options`,
      );
  }
  const n = ref.segment.count;
  for (let i = 0; i < n; i++) {
    const twice = segments.filter((s) => s.segment.index === i);
    if (twice.length > 1)
      return new HeadroomError(
        'E_SEGMENTS_INCOMPLETE',
        `segment ${i}/${n} appears ${twice.length} times (${twice.map((s) => `run ${s.run.id} in ${s.bundle}`).join(', ')}): give each segment once, or choose one execution with --start-at <iso>`,
      );
  }
  const have = distinct(segments.map((s) => s.segment.index)).sort((a, b) => a - b);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !have.includes(i));
  const outside = have.filter((i) => i < 0 || i >= n);
  if (missing.length > 0 || outside.length > 0) {
    const what =
      missing.length > 0
        ? `segment${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`
        : `segment indexes ${outside.join(', ')} are outside 0..${n - 1}`;
    return new HeadroomError(
      'E_SEGMENTS_INCOMPLETE',
      `${what}: merge needs every segment of the execution (found ${have.join(', ')} in ${describePaths(distinct(segments.map((s) => s.bundle)))})`,
    );
  }
  return null;
}

/** Where two configs first differ, as `config.workers.cpus ([1] vs [2])`; null when they are the same. */
export function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    for (const k of distinct([...ka, ...kb])) {
      const sub = Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`;
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], sub);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path} (${show(a)} vs ${show(b)})`;
}

/**
 * What must be the same in every segment's config: all but `segment`, and but the workers' CPUs
 * and count where validation chose them from the machine (the file left them out), since pods on
 * different nodes see different CPUs.
 */
function comparable(config: unknown): unknown {
  if (config === null || typeof config !== 'object') return config;
  const { segment: _segment, ...rest } = config as Record<string, unknown>;
  // Machines check the project out in different folders: paths count from the scenario file's folder.
  const file = typeof rest['file'] === 'string' ? rest['file'] : null;
  const relative = file === null ? rest : (underFolder(rest, dirname(file)) as Record<string, unknown>);
  const workers = relative['workers'] as { cpus?: unknown; count?: unknown; auto?: { cpus?: boolean; count?: boolean } } | undefined;
  if (!workers?.auto) return relative;
  const { cpus, count, ...own } = workers;
  return { ...relative, workers: { ...own, ...(workers.auto.cpus ? {} : { cpus }), ...(workers.auto.count ? {} : { count }) } };
}

/** `value` with every string that is a path in `folder` written relative to it (`<scenario folder>/data.csv`). */
function underFolder(value: unknown, folder: string): unknown {
  if (typeof value === 'string')
    return value === folder || value.startsWith(`${folder}${sep}`) ? `<scenario folder>${value.slice(folder.length)}` : value;
  if (Array.isArray(value)) return value.map((v) => underFolder(v, folder));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, underFolder(v, folder)]));
}

function show(v: unknown): string {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function startOf(s: SegmentRun): number {
  return Date.parse(s.segment.startAt);
}

function listExecutions(groups: readonly SegmentRun[][]): string {
  return groups
    .map((g) => {
      const s = g[0] as SegmentRun;
      const idx = distinct(g.map((x) => x.segment.index)).sort((a, b) => a - b);
      return `  ${s.segment.startAt}  ${s.run.scenario} (segments ${idx.join(', ')} of ${s.segment.count})`;
    })
    .join('\n');
}

/** Several paths as one: `seg-*.duckdb` when they differ only in the middle. */
export function describePaths(paths: readonly string[]): string {
  if (paths.length <= 2) return paths.join(', ');
  let pre = 0;
  const first = paths[0] as string;
  const shortest = Math.min(...paths.map((p) => p.length));
  while (pre < shortest && paths.every((p) => p[pre] === first[pre])) pre++;
  let suf = 0;
  while (suf < shortest - pre && paths.every((p) => p[p.length - 1 - suf] === first[first.length - 1 - suf])) suf++;
  return pre + suf === 0 ? paths.join(', ') : `${first.slice(0, pre)}*${first.slice(first.length - suf)}`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
