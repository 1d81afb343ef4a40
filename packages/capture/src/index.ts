/** @headroom/capture: profiles, traces and runtime metrics of the service under test, captured while load runs. */
export { startCapture, resolveForward } from './session.ts';
export type {
  CaptureOptions, CaptureSession, CaptureResult, ProfileRow, FunctionRow, SpanRow, RuntimeSample,
} from './types.ts';
export { CAPTURE_DEFAULTS } from './types.ts';
