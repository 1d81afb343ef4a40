/**
 * The frames a Node profile holds that are not JavaScript functions. V8's CPU profiler
 * attributes each tick to a code entry or, when none runs, to `(idle)`, `(program)` or
 * `(garbage collector)` (v8/src/profiler/profile-generator.cc). @datadog/pprof 5.x, which
 * @pyroscope/nodejs runs on, renames `(garbage collector)` to `Garbage Collection`, adds
 * `Non JS threads activity` (CPU of the process's other threads) and puts both under a
 * `Node.js` node (out/src/profile-serializer.js, updateTimeProfile).
 */
import { IDLE_FRAME } from '@headroom/capture/profile';

/** How a row of a function table counts: real code, runtime work without a JS frame, or idle. */
export type FrameKind = 'code' | 'runtime' | 'idle';

const RUNTIME = new Set(['(program)', '(garbage collector)', 'Garbage Collection', 'Non JS threads activity', 'Node.js']);

/**
 * `(idle)` is the main thread found with no JavaScript on its stack: in a wall profile, time
 * that passed while the event loop waited; in a cpu profile, CPU the profiler could not tie
 * to a function. Neither is a function's work, so it is set apart. The runtime frames are work
 * (they use CPU), just not in a JavaScript function, so they are ranked with the functions.
 */
export function frameKind(name: string): FrameKind {
  if (name === IDLE_FRAME) return 'idle';
  if (RUNTIME.has(name)) return 'runtime';
  return 'code';
}
