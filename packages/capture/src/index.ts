/** @headroom/capture: profiles, traces and runtime metrics of the service under test, captured while load runs. */
export { startCapture, resolveForward } from './session.ts';
export type { ForwardTargets } from './receivers.ts';
export type {
  CaptureOptions, CaptureSession, CaptureResult, ProfileRow, FunctionRow, SpanRow, RuntimeSample,
} from './types.ts';
export { CAPTURE_DEFAULTS } from './types.ts';
export { profileTop } from './commands/profile-top.ts';
export type { ProfileTopOptions, ProfileTopResult, TopRow } from './commands/profile-top.ts';
export { profileDiff } from './commands/profile-diff.ts';
export type { ProfileDiffOptions, ProfileDiffResult, DiffRow } from './commands/profile-diff.ts';
export { exportProfile, toSpeedscope } from './commands/export-profile.ts';
export type { ExportFormat, ExportProfileResult } from './commands/export-profile.ts';
export { slowTraces } from './commands/slow-traces.ts';
export type { SlowTracesOptions, SlowTracesResult, SlowTrace, SpanNode, TraceSampleInput } from './commands/slow-traces.ts';
export { slowSpanProfile, slowestSpanIds } from './commands/slow-span-profile.ts';
export type { SlowSpanProfileOptions, SlowSpanProfileResult } from './commands/slow-span-profile.ts';
export { readPprof, writePprof, decodePprof } from './profile-io.ts';
export { functionTable } from './function-table.ts';
