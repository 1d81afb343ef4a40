/**
 * runBench as an async iterable of its events, for `for await` consumers (live progress, NDJSON).
 * The last event is always `done`; a thrown setup error (e.g. taskset missing) rethrows.
 */
import { runBench, type BenchEvent, type RunBenchOptions } from './run-bench.ts';
import type { Bench } from '@headroom/core';

/** Runs the bench and yields every event in order. */
export async function* benchEvents(
  bench: Bench,
  options: Omit<RunBenchOptions, 'onEvent'> = {},
): AsyncGenerator<BenchEvent, void, undefined> {
  const queue: BenchEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  const run = runBench(bench, {
    ...options,
    onEvent: (e) => {
      queue.push(e);
      wake?.();
    },
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  while (true) {
    const next = queue.shift();
    if (next) {
      yield next;
      continue;
    }
    if (finished) break;
    await new Promise<void>((r) => {
      wake = r;
    });
    wake = undefined;
  }
  await run;
  if (failure) throw failure.error;
}
