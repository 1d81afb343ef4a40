/**
 * Server spans for the requests the gate admits (see agent-http-gate.ts), made directly with
 * the OpenTelemetry API: extract the W3C context from the headers, start a SERVER span with
 * the stable HTTP semantic-convention attributes, run the request's handlers inside it, end it
 * when the response finishes or the connection closes. It does the incoming half of
 * @opentelemetry/instrumentation-http's job (that instrumentation still handles outgoing calls)
 * with far less work per request and without rebinding request/response emitters, whose
 * changed object shapes measurably slowed every request, traced or not.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, trace, SpanKind, SpanStatusCode, ROOT_CONTEXT, type Span, type Tracer } from '@opentelemetry/api';

// A traced response's span ends when Node publishes `http.server.response.finish` for it,
// rather than through `res.once('finish' | 'close')`: listeners added to 1% of responses
// give those a different listener table from the rest, the kind of difference that turns
// Node's hot HTTP paths polymorphic for every request (see agent-io.ts). The agent leaves
// the SUT's objects as they are. (Measured with bench/capture-cost.ts, the change is within
// its run-to-run noise of ±0.3 points.) A response that never finishes (its connection
// closed first) ends its span when the response is collected, marked as such.
const open = new WeakMap<ServerResponse, Span>();
const unfinished = new FinalizationRegistry<Span>((span) => {
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response finished (span ended when noticed)' });
  span.end();
});
let subscribed = false;

function onFinish(message: unknown): void {
  const res = (message as { response?: ServerResponse }).response;
  if (res === undefined) return;
  const span = open.get(res);
  if (span === undefined) return;
  open.delete(res);
  unfinished.unregister(res);
  span.setAttribute('http.response.status_code', res.statusCode);
  if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * The client's address, asked of the socket's handle. `socket.remoteAddress` caches it on
 * the socket (`_peername`), so traced connections would get a different shape from all
 * the others, which V8's caches in Node's socket code then see on every request.
 */
function peerAddress(socket: IncomingMessage['socket']): string | undefined {
  const handle = (socket as unknown as { _handle?: { getpeername?: (out: { address?: string }) => number } | null })._handle;
  if (typeof handle?.getpeername !== 'function') return undefined;
  const out: { address?: string } = {};
  return handle.getpeername(out) === 0 ? out.address : undefined;
}

/** Runs `handle` inside a new server span for `req`. */
export function withServerSpan<R>(tracer: Tracer, req: IncomingMessage, res: ServerResponse, handle: () => R): R {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const host = req.headers.host ?? '';
  const colon = host.lastIndexOf(':');
  const attributes: Record<string, string | number> = {
    'http.request.method': req.method ?? 'GET',
    'url.path': q >= 0 ? url.slice(0, q) : url,
    'url.scheme': (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
    'network.protocol.version': req.httpVersion,
  };
  if (q >= 0) attributes['url.query'] = url.slice(q + 1);
  if (host) attributes['server.address'] = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
  if (colon > 0 && !host.endsWith(']')) attributes['server.port'] = Number(host.slice(colon + 1));
  const peer = peerAddress(req.socket);
  if (peer) attributes['client.address'] = peer;
  const ua = req.headers['user-agent'];
  if (ua) attributes['user_agent.original'] = ua;
  const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, attributes }, parent);
  if (!subscribed) { diagnostics_channel.subscribe('http.server.response.finish', onFinish); subscribed = true; }
  open.set(res, span);
  unfinished.register(res, span, res);
  return context.with(trace.setSpan(parent, span), handle);
}
