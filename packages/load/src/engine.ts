import type { ConnectionPool } from './connection-pool.ts';
import type { EncodedRequest } from './encode-request.ts';
import type { NameBucket, NameTable } from './name-table.ts';
import type { Recorder } from './recorder.ts';
import type { RequestMix } from './request-mix.ts';
import type { RunUnit } from './timeline.ts';
import type { TlsTransport } from './tls-transport.ts';
import type { TraceSampler } from './trace-context.ts';

/** Everything an engine needs to drive one unit (phase or step). */
export interface EngineContext {
  unit: RunUnit;
  recorder: Recorder;
  target: string;
  /** How to open TLS sockets to an https:// target, shared by the worker's units so sessions carry over; null or absent for http://. */
  tls?: TlsTransport | null;
  requests: readonly EncodedRequest[];
  /** The worker's connections kept across units (static headroom engine); absent: each unit opens and closes its own. */
  pool?: ConnectionPool | null;
  mix: RequestMix;
  traces: TraceSampler;
  timeoutMs: number;
  /** performance.now() at which the unit starts; intended send times are relative to it. */
  startPerf: number;
  /** The worker's event loop never blocks (workers.idle 'poll'): wait for arrivals on immediates, not timers. */
  poll: boolean;
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
