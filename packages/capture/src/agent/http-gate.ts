/**
 * Head sampling at the door. Instrumenting a request costs CPU even when its span is then
 * dropped, so the sampling decision for incoming requests is taken first, here: a request with
 * a W3C traceparent follows its sampled flag (ParentBased), one without is kept with
 * probability `sample` (the TraceIdRatio share). Requests not kept go straight to the original
 * `Server.prototype.emit`; kept ones run inside a server span (agent-server-spans.ts).
 *
 * The gate is installed on `Server.prototype` as soon as the agent starts, before the SUT serves
 * anything, and stays closed until tracing is loaded: changing that prototype once the SUT's
 * HTTP paths are hot left every request about 20% slower in measurements (V8 no longer treats
 * the prototype as stable), while installing it early costs nothing measurable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the gate needs from tracing once it is loaded. */
export interface GateState {
  /** Share of requests without a traceparent to trace. */
  sample: number;
  /**
   * Runs `handle` inside a server span, the child of `traceparent` when the request had a
   * sampled one; null until tracing is up (the gate is then closed).
   */
  wrap: (<R>(req: IncomingMessage, res: ServerResponse, traceparent: string | undefined, handle: () => R) => R) | null;
}

export const gate: GateState = { sample: 0, wrap: null };

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** The sampled flag of a traceparent (`00-<trace>-<span>-<flags>`), or null when absent or malformed. */
export function traceparentSampled(header: unknown): boolean | null {
  if (typeof header !== 'string' || header.length < 55 || header[2] !== '-' || header[35] !== '-' || header[52] !== '-') return null;
  const flags = Number.parseInt(header.slice(53, 55), 16);
  return Number.isNaN(flags) ? null : (flags & 1) === 1;
}

/**
 * The first value of header `name` (lower case) of a request, read from `rawHeaders` (names
 * as sent, values beside them). `req.headers` is built lazily by Node on first access,
 * lower-casing every name into a fresh object; a gate that touched it would pay that for
 * every request of a service that never reads its headers, and did: +4% CPU per request in
 * the overhead benchmark, most of it in megamorphic property stores.
 */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === name.length && n.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/** Wraps `Server.prototype.emit` so that admitted requests run inside a server span. */
export function installGate(proto: { emit: Emit }): void {
  const original = proto.emit;
  proto.emit = function gatedEmit(this: unknown, event: string | symbol, req?: unknown, res?: unknown): boolean {
    // Every other event of the service's server passes through untouched, with however many
    // arguments it had; `arguments` avoids allocating a rest array on that hot path.
    // eslint-disable-next-line prefer-rest-params
    if (event !== 'request') return original.apply(this, arguments as unknown as [string]);
    const wrap = gate.wrap;
    if (wrap === null) return original.call(this, event, req, res);
    const traceparent = rawHeader((req as IncomingMessage).rawHeaders, 'traceparent');
    const parent = traceparentSampled(traceparent);
    if (!(parent ?? Math.random() < gate.sample)) return original.call(this, event, req, res);
    return wrap(req as IncomingMessage, res as ServerResponse, parent === null ? undefined : traceparent, () =>
      original.call(this, event, req, res),
    );
  };
}
