/**
 * Server spans for the requests the gate admits (see agent-http-gate.ts): take the parent from
 * the request's W3C traceparent, start a SERVER span (server-span.ts) with the stable HTTP
 * semantic-convention attributes, run the request's handlers inside it, end it when the
 * response finishes. It does the incoming half of @opentelemetry/instrumentation-http's job
 * (that instrumentation still handles outgoing calls) with far less work per request and
 * without rebinding request/response emitters, whose changed object shapes measurably slowed
 * every request, traced or not.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanStatusCode, ROOT_CONTEXT, type Attributes } from '@opentelemetry/api';
import { parseTraceparent, ServerSpan, withSpanActive, type ServerSpanSink } from './server-span.ts';

// A traced response's span ends when Node publishes `http.server.response.finish` for it,
// rather than through `res.once('finish' | 'close')`: listeners added to 1% of responses
// give those a different listener table from the rest, the kind of difference that turns
// Node's hot HTTP paths polymorphic for every request (see agent-io.ts). The agent leaves
// the SUT's objects as they are. Open traced responses sit in a plain list (a handful at a
// time: a WeakMap plus a FinalizationRegistry per span cost an eighth of a traced request).
// A response destroyed before it finished (its connection closed) ends its span, marked as
// such, at the next traced request or at the next flush, whichever comes first.
const open: { res: ServerResponse; span: ServerSpan }[] = [];
let subscribed = false;

function onFinish(message: unknown): void {
  if (open.length === 0) return;
  const res = (message as { response?: ServerResponse }).response;
  const i = open.findIndex((o) => o.res === res);
  if (i < 0) return;
  const { span } = open[i]!;
  open.splice(i, 1);
  span.setAttribute('http.response.status_code', res!.statusCode);
  if (res!.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Ends the spans of responses whose connection closed before they finished. */
export function endAbandonedSpans(): void {
  for (let i = open.length - 1; i >= 0; i--) {
    const { res, span } = open[i]!;
    if (!res.destroyed || res.writableFinished) continue;
    open.splice(i, 1);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response finished' });
    span.end();
  }
}

/**
 * The client's address, asked of the socket's handle once per connection. `socket.remoteAddress`
 * caches it on the socket (`_peername`), so traced connections would get a different shape
 * from all the others, which V8's caches in Node's socket code then see on every request.
 */
const peers = new WeakMap<object, string | undefined>();

function peerAddress(socket: IncomingMessage['socket']): string | undefined {
  if (peers.has(socket)) return peers.get(socket);
  const handle = (socket as unknown as { _handle?: { getpeername?: (out: { address?: string }) => number } | null })._handle;
  if (typeof handle?.getpeername !== 'function') return undefined;
  const out: { address?: string } = {};
  const address = handle.getpeername(out) === 0 ? out.address : undefined;
  peers.set(socket, address);
  return address;
}

/** The headers a server span reads, from `rawHeaders` in one pass (see rawHeader in agent-http-gate.ts). */
function spanHeaders(raw: readonly string[]): { host?: string; ua?: string; tracestate?: string; baggage?: boolean } {
  const out: { host?: string; ua?: string; tracestate?: string; baggage?: boolean } = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'host') out.host ??= raw[i + 1];
    else if (name === 'user-agent') out.ua ??= raw[i + 1];
    else if (name === 'tracestate') out.tracestate ??= raw[i + 1];
    else if (name === 'baggage') out.baggage = true;
  }
  return out;
}

/** Runs `handle` inside a new server span for `req`, the child of `traceparent` when given. */
export function withServerSpan<R>(
  sink: ServerSpanSink,
  req: IncomingMessage,
  res: ServerResponse,
  traceparent: string | undefined,
  handle: () => R,
): R {
  const h = spanHeaders(req.rawHeaders);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const host = h.host ?? '';
  const colon = host.lastIndexOf(':');
  // A colon inside `[...]` belongs to an IPv6 literal, not a port.
  const hasPort = colon > 0 && !host.endsWith(']');
  const method = req.method ?? 'GET';
  const attributes: Attributes = {
    'http.request.method': method,
    'url.path': q >= 0 ? url.slice(0, q) : url,
    'url.scheme': (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
    'network.protocol.version': req.httpVersion,
  };
  if (q >= 0) attributes['url.query'] = url.slice(q + 1);
  if (host) attributes['server.address'] = hasPort ? host.slice(0, colon) : host;
  if (hasPort) attributes['server.port'] = Number(host.slice(colon + 1));
  const peer = peerAddress(req.socket);
  if (peer) attributes['client.address'] = peer;
  if (h.ua) attributes['user_agent.original'] = h.ua;
  const parent = traceparent === undefined ? null : parseTraceparent(traceparent, h.tracestate);
  const span = new ServerSpan(sink, method, parent, attributes);
  if (!subscribed) {
    diagnostics_channel.subscribe('http.server.response.finish', onFinish);
    subscribed = true;
  }
  if (open.length > 0) endAbandonedSpans();
  open.push({ res, span });
  // Baggage is rare; only then does the request go through the configured propagators.
  const base = h.baggage ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
  const ctx = withSpanActive(base, span);
  return context.with(ctx, handle);
}
