/**
 * The per-task summary of a bench run: the median of the per-repetition medians with its
 * order-statistic 95% CI (repetitions are the independent unit, never iterations), the
 * coefficient of variation across repetitions, and ops/s at the median.
 */
import { medianCI } from './median-ci.ts';

/** One repetition's outcome as the summary needs it. */
export interface BenchRepetitionInput {
  task: string;
  status: 'ok' | 'failed';
  /** Median ns per operation of this repetition (ok only). */
  medianNs?: number;
}

/** Summary of one task over its repetitions. */
export interface BenchTaskSummary {
  task: string;
  /** Successful repetitions. */
  runs: number;
  failed: number;
  medianNs: number | null;
  ciLowNs: number | null;
  ciHighNs: number | null;
  /** Coefficient of variation of the repetition medians, in %; null below 2 runs. */
  cvPct: number | null;
  opsPerSec: number | null;
}

/** Summarises each task (in the given order) over its repetitions. */
export function summarizeBenchTasks(tasks: readonly string[], reps: readonly BenchRepetitionInput[]): BenchTaskSummary[] {
  return tasks.map((task) => {
    const mine = reps.filter((r) => r.task === task);
    const ok = mine.flatMap((r) => (r.status === 'ok' && r.medianNs !== undefined ? [r.medianNs] : []));
    const m = ok.length ? medianCI(ok) : null;
    const mean = ok.reduce((s, v) => s + v, 0) / (ok.length || 1);
    const sd = Math.sqrt(ok.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, ok.length - 1));
    return {
      task,
      runs: ok.length,
      failed: mine.length - ok.length,
      medianNs: m?.median ?? null,
      ciLowNs: m?.ci?.low ?? null,
      ciHighNs: m?.ci?.high ?? null,
      cvPct: ok.length > 1 ? (sd / mean) * 100 : null,
      opsPerSec: m ? 1e9 / m.median : null,
    };
  });
}
