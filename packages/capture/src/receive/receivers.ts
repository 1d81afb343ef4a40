/**
 * The embedded receivers: one HTTP server on 127.0.0.1 (ephemeral port) speaking Pyroscope's
 * `POST /ingest` and OTLP/HTTP `POST /v1/traces` (protobuf or JSON, optionally gzipped), plus
 * the agent's control stream (`GET /control`, `POST /agent`). Bad input gets a 4xx and a
 * warning; nothing a client sends can take the server down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequest, ByteBudget, decodeContentEncoding, readBody } from './http-body.ts';
import { decodeIngest } from './pyroscope-ingest.ts';
import { decodeTracesJson, decodeTracesProto } from './otlp-decode.ts';
import type { Collector } from './collector.ts';
import type { ControlChannel } from './control.ts';
import type { AgentMessage } from '../protocol.ts';
import { CAPTURE_DEFAULTS } from './types.ts';

/** Where to forward what is received, as well as keeping it. */
export interface ForwardTargets {
  pyroscopeUrl?: string;
  otlpTracesUrl?: string;
}

export interface ReceiversOptions {
  collector: Collector;
  control: ControlChannel;
  serviceName: string;
  forward?: ForwardTargets;
  /** @default CAPTURE_DEFAULTS.maxBodyBytes */
  maxBodyBytes?: number;
  /** @default CAPTURE_DEFAULTS.maxReceivingBytes */
  maxReceivingBytes?: number;
  /** Required (as ?token=) by the agent's control endpoints, GET /control and POST /agent. @default none: open */
  token?: string;
}

export interface Receivers {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Forwards still in flight. */
  pending(): Promise<void>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Uint8Array = '', type = 'text/plain'): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Starts the receivers' server. */
export async function startReceivers(opts: ReceiversOptions): Promise<Receivers> {
  const { collector, control } = opts;
  const maxBody = opts.maxBodyBytes ?? CAPTURE_DEFAULTS.maxBodyBytes;
  const inflight = new Set<Promise<void>>();
  const budget = new ByteBudget(opts.maxReceivingBytes ?? CAPTURE_DEFAULTS.maxReceivingBytes);
  // Bodies read through `body()` hold their bytes until the request's handler is done.
  const held = new WeakMap<IncomingMessage, number>();
  const body = async (req: IncomingMessage): Promise<Buffer> => {
    const b = await readBody(req, maxBody, budget);
    held.set(req, b.length);
    return b;
  };

  const forward = (target: string, req: IncomingMessage, body: Buffer, what: string): void => {
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding', 'authorization', 'x-scope-orgid']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const p = fetch(target, {
      method: 'POST',
      headers,
      body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
      signal: AbortSignal.timeout(10_000),
    })
      .then((r) => {
        if (!r.ok) collector.warn(`forwarding ${what} to ${target} failed: HTTP ${r.status}`, `fwd-${what}-${r.status}`);
      })
      .catch((e: Error) => collector.warn(`forwarding ${what} to ${target} failed: ${e.message}`, `fwd-${what}`))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const ingest = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const raw = await body(req);
    const decoded = decodeContentEncoding(raw, req.headers['content-encoding'], CAPTURE_DEFAULTS.maxInflatedBytes);
    const push = decodeIngest(url, req.headers['content-type'] ?? '', decoded);
    const phase = collector.attribute(push.meta);
    if (phase === null) collector.droppedPushes++;
    else if (collector.isClosed(phase)) collector.latePushes++;
    else collector.addProfile(phase, push.profile);
    if (opts.forward?.pyroscopeUrl) forward(`${opts.forward.pyroscopeUrl.replace(/\/$/, '')}/ingest${url.search}`, req, raw, 'profile');
    send(res, 200);
  };

  const traces = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await body(req);
    const decoded = decodeContentEncoding(raw, req.headers['content-encoding'], CAPTURE_DEFAULTS.maxInflatedBytes);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json';
    if (!json && type !== 'application/x-protobuf' && type !== 'application/protobuf') {
      throw new BadRequest(415, `unsupported Content-Type "${type}"; send application/x-protobuf or application/json`);
    }
    let spans;
    try {
      spans = json ? decodeTracesJson(decoded.toString('utf8'), opts.serviceName) : decodeTracesProto(decoded, opts.serviceName);
    } catch (e) {
      throw new BadRequest(400, `malformed ExportTraceServiceRequest: ${(e as Error).message}`);
    }
    collector.addSpans(spans);
    if (opts.forward?.otlpTracesUrl) forward(opts.forward.otlpTracesUrl, req, raw, 'traces');
    // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
    if (json) send(res, 200, '{}', 'application/json');
    else send(res, 200, new Uint8Array(0), 'application/x-protobuf');
  };

  const agent = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req, 1024 * 1024);
    let msg: AgentMessage;
    try {
      msg = JSON.parse(raw.toString('utf8')) as AgentMessage;
    } catch {
      throw new BadRequest(400, 'agent message is not JSON');
    }
    if (msg.type === 'hello') control.agent = { pid: msg.pid, node: msg.node, profiling: msg.profiling, tracing: msg.tracing };
    else if (msg.type === 'ack') control.ack(msg.seq);
    else if (msg.type === 'runtime' && Array.isArray(msg.samples)) collector.addRuntime(msg.samples);
    else if (msg.type === 'warning') collector.warn(`capture agent: ${String(msg.message)}`);
    send(res, 204);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    let work: Promise<void>;
    if (route === 'POST /ingest') work = ingest(req, res, url);
    else if (route === 'POST /v1/traces') work = traces(req, res);
    else if (route === 'POST /v1/metrics' || route === 'POST /v1/logs') {
      // Accepted and dropped, so SDKs configured with one endpoint for all signals stay quiet.
      work = body(req).then(() => send(res, 200, '{}', 'application/json'));
    } else if (
      (route === 'GET /control' || route === 'POST /agent') &&
      opts.token !== undefined &&
      url.searchParams.get('token') !== opts.token
    ) {
      req.resume();
      collector.warn(`receiver refused ${route} without this run's token (another local process?)`, `token-${route}`);
      send(res, 401, "this endpoint is for the run's own capture agent");
      return;
    } else if (route === 'GET /control') {
      control.attach(res);
      return;
    } else if (route === 'POST /agent') work = agent(req, res);
    else if (route === 'GET /health') {
      send(res, 200, 'ok');
      return;
    } else {
      req.resume();
      send(res, 404, `no route ${route}`);
      return;
    }
    work
      .catch((e: Error) => {
        const status = e instanceof BadRequest ? e.status : 500;
        collector.warn(`receiver rejected ${route}: ${status} ${e.message}`, `reject-${route}-${status}`);
        if (status === 413 || status === 503) res.setHeader('connection', 'close');
        if (status === 503) res.setHeader('retry-after', '1');
        send(res, status, e.message);
      })
      .finally(() => {
        budget.give(held.get(req) ?? 0);
        held.delete(req);
      });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pending: async () => {
      await Promise.all([...inflight]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        control.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
