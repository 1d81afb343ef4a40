/**
 * `headroom merge`: the segment runs of one scaled-out execution (`headroom run --segment i/n`,
 * one per pod of a Kubernetes Indexed Job) made into one run, as if one generator had produced
 * the whole load: phases and seconds merged exactly from their histograms, the scenario's
 * thresholds judged on the merged phases with the gate code a run uses, all stored as a new run.
 */
import { dirname, join, resolve } from 'node:path';
import { ExitCode, type ExitCodeValue, type Scenario } from '@headroom/core';
import { newRunId, openBundle, readMeasuredRows, readSegmentRuns, writeRunRows, type Bundle, type Store } from '@headroom/store';
import { evaluateThresholds } from '../gates.ts';
import type { RunOutcome } from '../run-load.ts';
import { gateRows, phaseRow } from '../sinks/phase-row.ts';
import { scriptedRows } from '../sinks/scripted-rows.ts';
import { mergePhases } from './merge-phases.ts';
import { mergeSeries } from './merge-series.ts';
import { mergedError, mergedPinning, mergedRunRow, mergedStatus, mergedWarnings, type MergedStatus } from './merged-run.ts';
import { label, pickExecution, segmentOf, type SegmentRun } from './pick-execution.ts';

/** Options of {@link mergeSegments}. */
export interface MergeSegmentsOptions {
  /** The store the merged run is written into, open for writing (a bundle may be this very file). */
  store: Store;
  /** Merge the execution whose segments started at this ISO instant (within 1 s). @default the one complete execution found */
  startAt?: string;
  /** Log lines (stderr in the CLI). @default no-op */
  log?(line: string): void;
}

/** One segment of a merged run. */
export interface MergedSegment {
  index: number;
  count: number;
  runId: string;
  /** The bundle it was read from, as given. */
  bundle: string;
  host: string | null;
  status: string;
  startAt: string;
}

/** The merged run, shaped as a finished load run's outcome, with the segments it was made of. */
export interface MergeOutcome extends Omit<RunOutcome, 'status' | 'segment'> {
  status: MergedStatus;
  /** A merged run is the whole execution, not a segment of it. */
  segment: null;
  segments: MergedSegment[];
}

/** How long to wait for another process's brief hold on a bundle's store file (a segment folding its run in). */
const BUNDLE_WAIT_MS = 10_000;

/** Merges the one complete execution found in `bundles` (store files or `runs export` folders) into a new run in `options.store`. */
export async function mergeSegments(bundles: readonly string[], options: MergeSegmentsOptions): Promise<MergeOutcome> {
  const log = options.log ?? (() => {});
  const opened: Bundle[] = [];
  try {
    const found: SegmentRun[] = [];
    const storeOf = new Map<string, Store>();
    const paths = distinctPaths(bundles);
    for (const path of paths) {
      const bundle = await openBundle(path, { current: options.store, waitMs: BUNDLE_WAIT_MS });
      opened.push(bundle);
      for (const run of await readSegmentRuns(bundle.store)) {
        const segment = segmentOf(run);
        // The same run in two bundles (a store and its export): once.
        if (segment === null || storeOf.has(run.id)) continue;
        storeOf.set(run.id, bundle.store);
        found.push({ run, bundle: path, segment });
      }
    }
    const picked = pickExecution(found, paths, options.startAt === undefined ? {} : { startAt: options.startAt });
    if (picked.ignored.length > 0)
      log(
        `merge: left out ${picked.ignored.length} segment run${picked.ignored.length === 1 ? '' : 's'} of other executions (${picked.ignored.map((s) => `${label(s)} started ${s.segment.startAt}`).join(', ')})`,
      );
    const rows = [];
    for (const s of picked.segments) rows.push(await readMeasuredRows(storeOf.get(s.run.id) as Store, s.run.id));
    return await writeMerged(options.store, picked.segments, rows);
  } finally {
    for (const b of opened) b.close();
  }
}

/** Combines the segments' rows, judges the thresholds and writes the merged run. */
async function writeMerged(
  store: Store,
  segments: readonly SegmentRun[],
  rows: Awaited<ReturnType<typeof readMeasuredRows>>[],
): Promise<MergeOutcome> {
  const head = (segments[0] as SegmentRun).run;
  const phases = mergePhases(
    rows,
    segments.map(label),
    segments.map((s) => s.run.status !== 'completed'),
  );
  const results = phases.map((p) => p.result);
  const status = mergedStatus(segments.map((s) => s.run.status));
  // As a run judges its thresholds: on phases that ended (a partial one never), and not when the run failed.
  const gates =
    status === 'failed'
      ? []
      : evaluateThresholds(
          scenarioOf(head.config),
          results.filter((r) => !r.partial),
          null,
        );
  const gateStatus = gates.length === 0 ? null : gates.every((g) => g.status === 'passed') ? 'passed' : 'failed';
  const id = newRunId();
  const end = {
    status,
    gates: gateStatus,
    error: mergedError(segments),
    warnings: mergedWarnings(segments),
    pinning: mergedPinning(segments),
  } as const;
  const run = mergedRunRow(id, segments, end);
  const scripted = results.map((r) => scriptedRows(id, r, []));
  await writeRunRows(store, {
    run,
    phases: phases.map((p) => phaseRow(id, p.result, p.meta)),
    series: mergeSeries(
      id,
      rows.map((r) => r.series),
    ),
    requests: scripted.flatMap((x) => x.requests),
    checks: scripted.flatMap((x) => x.checks),
    flows: scripted.flatMap((x) => x.flows),
    gates: gateRows(id, gates),
    // Each segment's traced requests and spans, now the merged run's: `headroom traces` reads them from it.
    traceSamples: rows.flatMap((r) => r.traceSamples.map((t) => ({ ...t, run_id: id }))),
    spans: rows.flatMap((r) => r.spans.map((t) => ({ ...t, run_id: id }))),
  });
  return {
    runId: id,
    scenario: head.scenario,
    status,
    exitCode: exitCodeOf(status, gateStatus),
    startedAt: run.started_at as number,
    endedAt: run.ended_at as number,
    phases: results,
    gates,
    pins: [...end.pinning],
    warnings: [...end.warnings],
    error: end.error,
    artifactsDir: join(dirname(store.path), id),
    segment: null,
    segments: segments.map((s) => ({
      index: s.segment.index,
      count: s.segment.count,
      runId: s.run.id,
      bundle: s.bundle,
      host: s.run.host,
      status: s.run.status,
      startAt: s.segment.startAt,
    })),
  };
}

/** The stored config as the scenario the gates read (thresholds and phases as resolved when the segments ran). */
function scenarioOf(config: unknown): Scenario {
  const c = (config ?? {}) as Partial<Scenario>;
  return { ...c, thresholds: c.thresholds ?? [], phases: c.phases ?? [] } as Scenario;
}

/** A segment that did not complete leaves the merged run incomplete (exit 3); a failed gate exits 1. */
function exitCodeOf(status: MergedStatus, gates: string | null): ExitCodeValue {
  if (status === 'failed' || status === 'interrupted' || status === 'abandoned') return ExitCode.runFailed;
  if (status === 'aborted' || gates === 'failed') return ExitCode.gateFailed;
  return ExitCode.ok;
}

/** The bundles, each file or folder once. */
function distinctPaths(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const abs = resolve(p);
    if (seen.has(abs)) return false;
    seen.add(abs);
    return true;
  });
}
