/**
 * The frames a V8 profile adds that are not JavaScript functions. V8's CPU profiler (and
 * @datadog/pprof's wall profiler, which uses it) attributes each tick to a code entry or, when
 * none runs, to one of these (v8/src/profiler/profile-generator.cc, CodeEntry kIdleEntryName,
 * kProgramEntryName, kGarbageCollectorEntryName; "(non-JS threads)" is @datadog/pprof's bucket
 * for CPU time of threads other than the main one).
 */

/** How a row of a function table counts: real code, runtime work without a JS frame, or idle. */
export type FrameKind = 'code' | 'runtime' | 'idle';

const IDLE = new Set(['(idle)']);
const RUNTIME = new Set(['(program)', '(garbage collector)', '(non-JS threads)', 'Garbage Collection']);

/**
 * `(idle)` is the main thread waiting in the event loop: time that passed, not work done.
 * `(program)`, `(garbage collector)` and `(non-JS threads)` are work (they use CPU), just not
 * in a JavaScript function, so they are ranked with the functions.
 */
export function frameKind(name: string): FrameKind {
  if (IDLE.has(name)) return 'idle';
  if (RUNTIME.has(name)) return 'runtime';
  return 'code';
}
