/** Real local HTTP servers for the package's tests (127.0.0.1, random ports). */
import http from 'node:http';
import net from 'node:net';
import type { Phase, Request } from '@headroom/core';
import type { WorkerPlan, WorkerToRunner } from '@headroom/internal';
import { runWorker } from './worker.ts';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export function httpServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  return listen(server);
}

export function rawServer(onSocket: (s: net.Socket) => void): Promise<TestServer> {
  return listen(net.createServer(onSocket));
}

function listen(server: net.Server): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** What a counting server saw: each connection it accepted and each request, with when (performance.now()) and the client's port. */
export interface CountingServer extends TestServer {
  accepted: { at: number; port: number }[];
  requests: { at: number; port: number; req: http.IncomingMessage }[];
  /** Connections open now. */
  open(): number;
  /** Forgets what was seen and closes the open connections (between tests). */
  reset(): void;
}

/** An HTTP server that records connections and requests, answering with `respond` (default: 'ok' at once). */
export async function countingServer(
  respond: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('ok'),
): Promise<CountingServer> {
  const accepted: CountingServer['accepted'] = [];
  const requests: CountingServer['requests'] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ at: performance.now(), port: req.socket.remotePort ?? 0, req });
    respond(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: net.Socket) => {
    accepted.push({ at: performance.now(), port: s.remotePort ?? 0 });
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const base = await listen(server);
  return {
    ...base,
    accepted,
    requests,
    open: () => sockets.size,
    reset: () => {
      accepted.length = requests.length = 0;
      for (const s of sockets) s.destroy();
    },
  };
}

/** A port with nothing listening (bound, released). */
export async function deadPort(): Promise<string> {
  const s = await rawServer(() => {});
  await s.close();
  return s.url;
}

export const GET: Request = { name: 'GET /', method: 'GET', path: '/', headers: {}, body: null, weight: 1 };

export function plan(target: string, phases: Phase[], extra: Partial<WorkerPlan> = {}): WorkerPlan {
  return {
    index: 0,
    count: 1,
    stripe: { index: extra.index ?? 0, count: extra.count ?? 1 },
    engine: 'headroom',
    idle: 'sleep',
    target,
    requests: [GET],
    phases,
    timeoutMs: 2000,
    traceSample: 0,
    startAt: Date.now() + 100,
    ...extra,
  };
}

/** Runs a plan in this process and collects every message. */
export async function collect(p: WorkerPlan, stopAfterMs?: number): Promise<WorkerToRunner[]> {
  const out: WorkerToRunner[] = [];
  const h = runWorker(p, (m) => out.push(m));
  if (stopAfterMs !== undefined) setTimeout(() => h.stop('test'), p.startAt - Date.now() + stopAfterMs);
  await h.done;
  return out;
}

export function phaseEnds(ms: WorkerToRunner[]) {
  return ms.filter((m) => m.type === 'phase-end');
}
export function ticks(ms: WorkerToRunner[]) {
  return ms.filter((m) => m.type === 'tick');
}
