import https from 'node:https';
import type net from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Phase, Tls } from '@headroom/core';
import type { WorkerPhaseEnd } from '@headroom/internal';
import { startNginx, type Nginx } from '../../../bench/lib/nginx.ts';
import { makeTestCertificates, type TestCertificates } from './test-certs.ts';
import { collect, phaseEnds, plan } from './test-servers.ts';
import { tlsTransport } from './tls-transport.ts';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => {
  rmSync(certs.dir, { recursive: true, force: true });
});

/** What a real node:https server saw of each TLS connection: SNI, whether it resumed, the client certificate's CN. */
interface Seen {
  servername: string | false | null;
  resumed: boolean;
  clientCn: string | null;
}

interface HttpsServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A node:https server on 127.0.0.1; `closeEvery`: answer every n-th request with connection: close (forcing reconnects). */
function httpsServer(opts: https.ServerOptions, closeEvery = 0): Promise<HttpsServer> {
  const seen: Seen[] = [];
  let n = 0;
  const server = https.createServer(opts, (req, res) => {
    n++;
    if (closeEvery > 0 && n % closeEvery === 0) res.setHeader('connection', 'close');
    res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  server.on('secureConnection', (s: tls.TLSSocket) => {
    const peer = s.getPeerCertificate();
    seen.push({
      servername: s.servername,
      resumed: s.isSessionReused(),
      clientCn: typeof peer?.subject?.CN === 'string' ? peer.subject.CN : null,
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `https://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

const TLS: Tls = { ca: [], insecure: false, cert: null, key: null, servername: null, resume: true };
const closed = (durationMs: number, connections: number): Phase[] => [
  { name: 'c', model: 'closed', warmup: false, durationMs, connections, thinkTimeMs: 0 },
];
const end = (ms: Awaited<ReturnType<typeof collect>>): WorkerPhaseEnd => phaseEnds(ms).find((m) => m.phase === 'c')!;

describe('https targets (headroom engine, real node:https servers, certificates from openssl)', () => {
  it('verifies against the CA file, and reconnects resume the session: full handshakes only for the first connections', async () => {
    const srv = await httpsServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, 20);
    try {
      const ms = await collect(plan(srv.url, closed(800, 4), { tls: { ...TLS, ca: [certs.ca] } }));
      const e = end(ms);
      expect(e.requests).toBeGreaterThan(200);
      expect(e.ok).toBe(e.requests - (e.errors.closed ?? 0));
      // connection: close every 20th response → about requests/20 reconnects, each offering its last ticket.
      const full = srv.seen.filter((s) => !s.resumed).length;
      const resumed = srv.seen.filter((s) => s.resumed).length;
      expect(resumed).toBeGreaterThan(e.requests / 20 - 8);
      expect(full).toBeLessThanOrEqual(4);
      // An IP target with no servername sends no SNI (RFC 6066 §3: literal addresses are not sent).
      expect(srv.seen.every((s) => s.servername === false)).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('resume: false does a full handshake on every connection', async () => {
    const srv = await httpsServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, 10);
    try {
      const ms = await collect(plan(srv.url, closed(500, 2), { tls: { ...TLS, ca: [certs.ca], resume: false } }));
      expect(end(ms).requests).toBeGreaterThan(50);
      expect(srv.seen.length).toBeGreaterThan(5);
      expect(srv.seen.every((s) => !s.resumed)).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('sends servername as SNI and checks the certificate against it', async () => {
    const srv = await httpsServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) });
    try {
      const ms = await collect(plan(srv.url, closed(300, 2), { tls: { ...TLS, ca: [certs.ca], servername: 'api.local' } }));
      expect(end(ms).ok).toBeGreaterThan(10);
      expect(srv.seen.map((s) => s.servername)).toEqual(['api.local', 'api.local']);
      // A name the certificate does not carry fails verification: every request an error, none ok.
      const bad = end(await collect(plan(srv.url, closed(300, 1), { tls: { ...TLS, ca: [certs.ca], servername: 'other.local' } })));
      expect(bad.ok).toBe(0);
      expect(bad.requests).toBeGreaterThan(0);
    } finally {
      await srv.close();
    }
  });

  it('a self-signed service: refused without insecure, served with insecure: true', async () => {
    const srv = await httpsServer({ cert: readFileSync(certs.selfSignedCert), key: readFileSync(certs.selfSignedKey) });
    try {
      const strict = end(await collect(plan(srv.url, closed(300, 1), { tls: TLS })));
      expect(strict.ok).toBe(0);
      expect(strict.requests).toBeGreaterThan(0);
      const loose = end(await collect(plan(srv.url, closed(300, 2), { tls: { ...TLS, insecure: true } })));
      expect(loose.ok).toBeGreaterThan(10);
      expect(loose.ok).toBe(loose.requests);
    } finally {
      await srv.close();
    }
  });

  it('groups picks the key exchange the client offers', async () => {
    const srv = await httpsServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) });
    try {
      const { port } = new URL(srv.url);
      const kex = (groups: string | null): Promise<string | undefined> =>
        new Promise((resolve, reject) => {
          const s = tlsTransport({ ...TLS, ca: [certs.ca], groups })!.connect(
            '127.0.0.1',
            Number(port),
            { buffer: Buffer.alloc(1024), callback: () => true },
            null,
          );
          s.on('secureConnect', () => {
            resolve(s.getEphemeralKeyInfo() ? (s.getEphemeralKeyInfo() as { name?: string }).name : undefined);
            s.destroy();
          });
          s.on('error', reject);
        });
      expect(await kex('P-256')).toBe('prime256v1');
      expect(await kex('X25519')).toBe('X25519');
    } finally {
      await srv.close();
    }
  });

  it('mutual TLS against nginx with ssl_verify_client on: the client certificate is accepted, no certificate gets 400s', async () => {
    let nginx: Nginx | undefined;
    try {
      nginx = await startNginx([0, 1], { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca });
      const tls = { ...TLS, ca: [certs.ca], cert: certs.clientCert, key: certs.clientKey };
      const ok = end(await collect(plan(nginx.url, closed(400, 2), { tls })));
      expect(ok.requests).toBeGreaterThan(20);
      expect(ok.ok).toBe(ok.requests);
      // nginx answers a missing client certificate with 400 "No required SSL certificate was sent".
      const without = end(await collect(plan(nginx.url, closed(300, 1), { tls: { ...TLS, ca: [certs.ca] } })));
      expect(without.ok).toBe(0);
      expect(without.errors.http_4xx).toBe(without.requests);
    } finally {
      await nginx?.stop();
    }
  });
});
