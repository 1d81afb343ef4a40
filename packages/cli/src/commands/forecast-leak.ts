/**
 * `headroom forecast --leak <run>`: leak and drift within one run. Fits the slope of the
 * service's RSS and used heap over the run's longest measured phase (or `--phase`), and says
 * whether it grows significantly (analysis' detectLeak).
 */
import { ExitCode, UsageError } from '@headroom/core';
import { detectLeak } from '@headroom/analysis';
import type { MemorySample } from '@headroom/analysis';
import { formatLeakReport } from '@headroom/report';
import { readPhaseMemory, readPhaseNames, resolveRunRef } from '@headroom/store';
import type { Store } from '@headroom/store';
import type { Output } from '../output.ts';

const MB = 1024 * 1024;
/** Below this a phase's memory growth is mostly warm-up (heap, JIT and caches filling), not a leak. */
const SOAK_MIN_S = 600;

/** Options of {@link leakCommand}. */
export interface LeakCommandOptions {
  /** The phase to read; default the run's longest measured phase. */
  phase?: string;
  markdown: boolean;
}

/** Runs the leak check on run `ref`; returns the exit code (0: a suspected leak is a finding, not a failure). */
export async function leakCommand(ref: string, store: Store | null, out: Output, o: LeakCommandOptions): Promise<number> {
  if (!store) throw new UsageError('no store yet: run a scenario first (headroom run <scenario.ts>) or pass --db <file>', 'E_NO_STORE');
  const id = await resolveRunRef(store, ref);
  const mem = await readPhaseMemory(store, id, o.phase);
  if (!mem) {
    const names = await readPhaseNames(store, id);
    throw new UsageError(
      o.phase === undefined
        ? `run ${id} has no measured phase`
        : `run ${id} has no phase "${o.phase}"; its phases: ${names.join(', ') || 'none'}`,
      'E_OPTION_VALUE',
    );
  }
  const samples = mem.samples;
  const series = (pick: (s: (typeof samples)[number]) => number | null): MemorySample[] =>
    samples.flatMap((s) => {
      const v = pick(s);
      return v === null ? [] : [{ time: s.second * 1000, bytes: v * MB }];
    });
  const rss = series((s) => s.rssMb);
  const heap = series((s) => s.heapMb);
  const verdicts = [
    { name: 'RSS', verdict: rss.length === 0 ? null : detectLeak(rss) },
    { name: 'heap used', verdict: heap.length === 0 ? null : detectLeak(heap) },
  ];
  const notes =
    mem.durationS < SOAK_MIN_S
      ? [
          `the phase lasted only ${Math.round(mem.durationS)}s: growth this early is mostly warm-up (heap, JIT, caches), so a slope per hour overstates it; soak for ${SOAK_MIN_S / 60} minutes or more`,
        ]
      : [];
  if (out.json) {
    for (const n of notes) out.log(`note: ${n}`);
    out.resultJson({
      run: id,
      phase: mem.phase,
      durationS: mem.durationS,
      rss: verdicts[0]?.verdict ?? null,
      heap: verdicts[1]?.verdict ?? null,
    });
  } else
    out.result(
      formatLeakReport({ runId: id, phase: mem.phase, durationS: mem.durationS, series: verdicts, notes }, { markdown: o.markdown }),
    );
  return ExitCode.ok;
}
