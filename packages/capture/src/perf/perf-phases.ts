/**
 * Which measured phase a perf sample belongs to, by its time. perf stamps samples with
 * CLOCK_MONOTONIC (`perf record --clockid CLOCK_MONOTONIC`); Node's `process.hrtime` reads
 * the same clock on Linux (libuv's uv_hrtime, src/unix/linux.c), so the runner marks phase
 * starts with it and no conversion is needed.
 */

/** One phase's span on CLOCK_MONOTONIC, nanoseconds; `endNs` null while it runs. */
export interface PhaseSpan {
  phase: string;
  measured: boolean;
  startNs: number;
  endNs: number | null;
  /** The planned end: samples after it belong to no phase even before the next mark (a last phase's drain). */
  plannedEndNs: number | null;
}

/** CLOCK_MONOTONIC now, in nanoseconds. */
export function monotonicNs(): number {
  return Number(process.hrtime.bigint());
}

/** Phase marks in time order, and the phase of a moment. */
export class PhaseTimeline {
  readonly spans: PhaseSpan[] = [];

  /** Marks the start of `phase` (null: between phases) at `nowNs`, ending the phase before; `durationMs` is its planned length. */
  mark(phase: string | null, measured: boolean, nowNs: number = monotonicNs(), durationMs?: number): void {
    const last = this.spans.at(-1);
    if (last && last.endNs === null) last.endNs = last.plannedEndNs === null ? nowNs : Math.min(nowNs, last.plannedEndNs);
    if (phase !== null)
      this.spans.push({
        phase,
        measured,
        startNs: nowNs,
        endNs: null,
        plannedEndNs: durationMs === undefined ? null : nowNs + durationMs * 1e6,
      });
  }

  /** The measured phase running at `ns` (start inclusive, end exclusive), or null. */
  measuredAt(ns: number): string | null {
    // Samples arrive in time order, so the search is short; phases are few anyway.
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const s = this.spans[i]!;
      const end = s.endNs ?? s.plannedEndNs;
      if (ns >= s.startNs) return s.measured && (end === null || ns < end) ? s.phase : null;
    }
    return null;
  }

  /** Nanoseconds a phase ran (to `nowNs` if it still runs); 0 for a phase never marked. */
  durationNs(phase: string, nowNs: number = monotonicNs()): number {
    return this.spans
      .filter((s) => s.phase === phase)
      .reduce((t, s) => t + (s.endNs ?? Math.min(nowNs, s.plannedEndNs ?? nowNs)) - s.startNs, 0);
  }
}
