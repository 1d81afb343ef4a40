/**
 * Runs that are not in the store yet: still running (with their progress so far), or
 * finished but not folded in (the store was busy). Read from their spools without any
 * lock, so `runs ls` and `runs show` never wait for a run.
 */
import type { Row } from '../schema.ts';
import { readSpools } from '../spool/fold.ts';
import { toStoredRun, type RunListing, type StoredPhase, type StoredRun } from './runs.ts';

/** A run read from its spool. */
export interface LiveRun {
  run: StoredRun;
  phases: StoredPhase[];
  /** Per-second rows written so far. */
  seconds: number;
  requests: number;
  errors: number;
  /** The process writing it still runs (false: it will be folded as abandoned or as it ended). */
  alive: boolean;
}

/** Every run of the store at `db` that lives in a spool, newest first. */
export function readLiveRuns(db: string): LiveRun[] {
  const out: LiveRun[] = [];
  // Progress only: the spans, trace samples and profiles a run has spooled so far are not parsed.
  for (const s of readSpools(db, { tables: ['phases', 'series'] })) {
    if (s.run === null) continue;
    const phases = new Map<string, StoredPhase>();
    const seconds = new Map<number, Partial<Row<'series'>>>();
    for (const op of s.ops) {
      if (op.op === 'owner') continue;
      if (op.table === 'phases')
        for (const r of op.rows as Partial<Row<'phases'>>[])
          phases.set(r.phase as string, { ...r, hist: undefined, service_hist: undefined } as StoredPhase);
      if (op.table === 'series') for (const r of op.rows as Partial<Row<'series'>>[]) seconds.set(r.second as number, r);
    }
    const series = [...seconds.values()];
    out.push({
      // A spool whose process is gone is folded as abandoned by the next writer; until then readers say so too.
      run: toStoredRun(s.run, s.alive ? 'running' : s.run.status === 'running' ? 'abandoned' : undefined),
      phases: [...phases.values()].sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0)),
      seconds: series.length,
      requests: series.reduce((n, r) => n + (r.requests ?? 0), 0),
      errors: series.reduce((n, r) => n + (r.errors ?? 0), 0),
      alive: s.alive,
    });
  }
  return out.sort((a, b) => b.run.startedAt.getTime() - a.run.startedAt.getTime());
}

/** A live run as a `runs ls` line. */
export function liveListing(l: LiveRun): RunListing {
  const r = l.run;
  return {
    id: r.id,
    kind: r.kind,
    scenario: r.scenario,
    status: r.status,
    gates: r.gates,
    startedAt: r.startedAt,
    seconds: r.endedAt ? (r.endedAt.getTime() - r.startedAt.getTime()) / 1000 : null,
    gitSha: r.gitSha,
    gitDirty: r.gitDirty,
  };
}
