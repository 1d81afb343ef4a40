/**
 * The scripting contract: flows (async functions over a per-virtual-user client), checks on
 * responses, and the context dynamic requests are built from. Types only: the load worker
 * implements them (packages/load/src/flows/).
 */
import type { Duration, HttpMethod } from './scenario.ts';

/** A row of test data: a CSV line as `{ column: value }`, or an item of a JSON array. */
export type DataRow = Record<string, unknown>;

/** A response as flows and checks see it. */
export interface VuResponse {
  /** HTTP status; 0 when no response came (see `error`). */
  status: number;
  /** Response headers, names lower-cased; repeated headers joined with ', ' (set-cookie with '\n'). */
  headers: Record<string, string>;
  /** Transport error kind when no response came ('timeout', 'refused', 'reset', 'closed', 'tls', 'other'), else null. */
  error: string | null;
  /** Latency of this request, ms (from its intended send). */
  durationMs: number;
  /** The body as UTF-8 text ('' when none). */
  text(): string;
  /** The body parsed as JSON; throws when it is not JSON. Pass the shape you expect: `r.json<{ token: string }>()`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by default as k6's res.json(): a cast on every read would be noise in flows
  json<T = any>(): T;
}

/** A check: true passes; false, a thrown error or a non-boolean falsy value fails. */
export type CheckFn = (r: VuResponse) => boolean;

/** Named checks: `{ 'status is 200': (r) => r.status === 200 }`. */
export type Checks = Record<string, CheckFn>;

/** Options of one request made by a flow. */
export interface VuRequestOptions {
  /** Name under which the request is reported. @default method + path template (numeric and hex ids as `:id`) */
  name?: string;
  headers?: Record<string, string>;
  /** JSON body; sets content-type: application/json. */
  json?: unknown;
  /** Raw body. */
  body?: string;
  /** Checks run on the response; counted per check name and phase. */
  check?: Checks;
}

/** The per-virtual-user client a flow drives: one keep-alive connection and one cookie jar. */
export interface Vu {
  /** Globally unique id of this virtual user (0-based, across workers). */
  readonly id: number;
  /** Iterations this VU started before the current one (0-based). */
  readonly iteration: number;
  /** The current row of each data source, picked per the source's policy. */
  readonly data: Record<string, DataRow>;
  /** A number in [0, 1) from this VU's seeded random stream (the scenario's `seed`). */
  random(): number;
  get(path: string, options?: VuRequestOptions): Promise<VuResponse>;
  post(path: string, options?: VuRequestOptions): Promise<VuResponse>;
  put(path: string, options?: VuRequestOptions): Promise<VuResponse>;
  delete(path: string, options?: VuRequestOptions): Promise<VuResponse>;
  request(method: HttpMethod, path: string, options?: VuRequestOptions): Promise<VuResponse>;
  /** Runs checks on a response (as `check` on a request does); true when all passed. */
  check(r: VuResponse, checks: Checks): boolean;
  /** Pauses this VU ('1s', '250ms', or ms). The next request's latency counts from the planned end of the pause. */
  sleep(duration: Duration | number): Promise<void>;
}

/** A flow: one iteration of a virtual user's script. Throwing fails the iteration (its message is kept). */
export type FlowFn = (vu: Vu) => Promise<void> | void;

/** A flow with a weight in the flow mix. */
export interface FlowInput {
  fn: FlowFn;
  /** Relative weight among flows. @default 1 */
  weight?: number;
}

/** What a dynamic request's `path`, `headers` and `json` functions receive. */
export interface RequestContext {
  /** Iterations (requests) this VU sent before this one. */
  iteration: number;
  /** Globally unique VU id (0-based). */
  vu: number;
  /** The current row of each data source. */
  data: Record<string, DataRow>;
  /** A number in [0, 1) from the VU's seeded random stream. */
  random(): number;
}
