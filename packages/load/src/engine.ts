import type { EncodedRequest } from './encode-request.ts';
import type { NameBucket, NameTable } from './name-table.ts';
import type { Recorder } from './recorder.ts';
import type { RequestMix } from './request-mix.ts';
import type { RunUnit } from './timeline.ts';
import type { TraceSampler } from './trace-context.ts';

/** Everything an engine needs to drive one unit (phase or step). */
export interface EngineContext {
  unit: RunUnit;
  recorder: Recorder;
  target: string;
  requests: readonly EncodedRequest[];
  mix: RequestMix;
  traces: TraceSampler;
  timeoutMs: number;
  /** performance.now() at which the unit starts; intended send times are relative to it. */
  startPerf: number;
  /** Per request name results of the unit. */
  names: NameTable;
  /** Static path: the name bucket of each request index, or null when the mix has one name (its results are the unit's). */
  byIndex: NameBucket[] | null;
  /** Tells the user something they must know (becomes a `warning` message, sent once per `key`, by default the message). */
  warn(message: string, key?: string): void;
}

/** A unit being driven. */
export interface UnitRun {
  /** Stop starting new requests; requests in flight finish (bounded by the timeout), then `drained` resolves. */
  finish(): void;
  /** Stop everything now, dropping requests in flight. */
  abort(): void;
  readonly drained: Promise<void>;
}

/** A load engine: a strategy that drives one unit, registered by name in engines.ts. */
export type Engine = (ctx: EngineContext) => UnitRun;
