/**
 * The service's memory over one phase of a run, second by second: what leak and drift detection
 * (`headroom forecast --leak <run>`) fits a slope to.
 */
import type { Store } from '../store.ts';

/** The memory series of one phase (a step phase includes its steps). */
export interface PhaseMemory {
  /** The top-level phase read. */
  phase: string;
  /** Seconds it lasted, from the phases table (steps summed). */
  durationS: number;
  /** One sample per second with runtime metrics: seconds since the run started, RSS and used heap in MB (2^20 bytes). */
  samples: Array<{ second: number; rssMb: number | null; heapMb: number | null }>;
}

/**
 * The memory of `phase` in run `runId`, or of the run's longest measured (non-warmup) phase
 * when no phase is named. Null when the run has no such phase.
 */
export async function readPhaseMemory(store: Store, runId: string, phase?: string): Promise<PhaseMemory | null> {
  const phases = await store.query<{ top: string; secs: number | null; warm: boolean }>(
    `SELECT coalesce(parent, phase) AS top, sum(duration_s) AS secs, bool_or(coalesce(warmup, false)) AS warm
     FROM phases WHERE run_id = $1 GROUP BY top ORDER BY secs DESC NULLS LAST, top`,
    [runId],
  );
  const chosen = phase === undefined ? phases.find((p) => !p.warm) : phases.find((p) => p.top === phase);
  if (!chosen) return null;
  const rows = await store.query<{ second: number; rss: number | null; heap: number | null }>(
    `SELECT s.second, s.sut_rss_mb AS rss, s.sut_heap_mb AS heap FROM series s
     WHERE s.run_id = $1 AND (s.phase = $2 OR s.phase IN (SELECT phase FROM phases WHERE run_id = $1 AND parent = $2))
       AND (s.sut_rss_mb IS NOT NULL OR s.sut_heap_mb IS NOT NULL)
     ORDER BY s.second`,
    [runId, chosen.top],
  );
  return { phase: chosen.top, durationS: chosen.secs ?? 0, samples: rows.map((r) => ({ second: r.second, rssMb: r.rss, heapMb: r.heap })) };
}

/** Names of a run's top-level phases, in order, for messages. */
export async function readPhaseNames(store: Store, runId: string): Promise<string[]> {
  const rows = await store.query<{ top: string }>(
    'SELECT coalesce(parent, phase) AS top, min(ordinal) AS o FROM phases WHERE run_id = $1 GROUP BY top ORDER BY o',
    [runId],
  );
  return rows.map((r) => r.top);
}
