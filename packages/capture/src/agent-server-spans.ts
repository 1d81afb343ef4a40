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
// the SUT's objects as they are. Open traced responses sit in a plain list (a handful at a
// time: a WeakMap plus a FinalizationRegistry per span cost an eighth of a traced request).
// A response destroyed before it finished (its connection closed) ends its span, marked as
// such, at the next traced request or at the next flush, whichever comes first.
const open: { res: ServerResponse; span: Span }[] = [];
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
  if (open.length > 0) endAbandonedSpans();
  open.push({ res, span });
  return context.with(trace.setSpan(parent, span), handle);
}
