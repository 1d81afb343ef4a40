/**
 * @headroom/capture: profiles, traces and runtime metrics of the service under test, captured
 * while load runs. The code is split by process: `agent/` is preloaded into the service,
 * `receive/` runs in the runner, `profile/` is the profile format both ends and readers share
 * (its own entry point, `@headroom/capture/profile`); `perf/` runs Linux perf on the service from
 * the runner. This entry point is the runner's.
 */
export { startCapture, resolveForward } from './receive/session.ts';
export type { ForwardTargets } from './receive/receivers.ts';
export type { CaptureOptions, CaptureSession, CaptureResult, SpanRow } from './receive/types.ts';
export { CAPTURE_DEFAULTS } from './receive/types.ts';
export { checkPerf } from './perf/perf-check.ts';
export type { PerfSetup, CheckPerfOptions } from './perf/perf-check.ts';
export { PERF_NODE_FLAGS } from './perf/perf-session.ts';
export type { RuntimeSample } from './protocol.ts';
export type { ProfileRow, FunctionRow } from './profile/rows.ts';
