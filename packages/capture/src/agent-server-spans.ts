/**
 * Server spans for the requests the gate admits (see agent-http-gate.ts), made directly with
 * the OpenTelemetry API: extract the W3C context from the headers, start a SERVER span with
 * the stable HTTP semantic-convention attributes, run the request's handlers inside it, end it
 * when the response finishes or the connection closes. It does the incoming half of
 * @opentelemetry/instrumentation-http's job (that instrumentation still handles outgoing calls)
 * with far less work per request and without rebinding request/response emitters, whose
 * changed object shapes measurably slowed every request, traced or not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, trace, SpanKind, SpanStatusCode, ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';

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
  if (req.socket.remoteAddress) attributes['client.address'] = req.socket.remoteAddress;
  const ua = req.headers['user-agent'];
  if (ua) attributes['user_agent.original'] = ua;
  const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, attributes }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    else if (!res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response finished' });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return context.with(trace.setSpan(parent, span), handle);
}
