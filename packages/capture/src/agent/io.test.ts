import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentIO } from './io.ts';
import type { ControlMessage } from '../protocol.ts';

let server: http.Server | null = null;
afterEach(async () => {
  if (server)
    await new Promise<void>((r) => {
      server!.closeAllConnections();
      server!.close(() => r());
    });
  server = null;
});

describe('AgentIO (the agent’s I/O thread)', () => {
  it('receives control messages from the SSE stream and posts bodies byte for byte', async () => {
    const posted: { path: string; type: string; body: Buffer }[] = [];
    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/control')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ type: 'phase', seq: 1, phase: 'steady', measured: true })}\n\n`);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.writeHead(req.url === '/reject' ? 400 : 204).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const control = new Promise<ControlMessage>((resolve) => {
      new AgentIO(url, resolve);
    });
    expect(await control).toEqual({ type: 'phase', seq: 1, phase: 'steady', measured: true });

    const io = new AgentIO(url, () => undefined);
    const bytes = new Uint8Array([0, 1, 2, 255, 254]);
    expect(await io.post(`${url}/ingest?x=1`, 'application/octet-stream', bytes)).toBe(true);
    expect(await io.send({ type: 'ack', seq: 7 })).toBe(true);
    expect(await io.post(`${url}/reject`, 'text/plain', 'no')).toBe(false);
    expect(posted[0]).toMatchObject({ path: '/ingest?x=1', type: 'application/octet-stream' });
    expect([...posted[0]!.body]).toEqual([...bytes]);
    expect(JSON.parse(posted[1]!.body.toString())).toEqual({ type: 'ack', seq: 7 });

    // A profile is handed over raw and gzipped on the I/O thread, off the SUT's main thread.
    const profile = new Uint8Array(4096).map((_, i) => i % 7);
    expect(await io.post(`${url}/ingest?p=1`, 'application/octet-stream', profile, 5_000, true)).toBe(true);
    const gz = posted.find((p) => p.path === '/ingest?p=1')!.body;
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.length).toBeLessThan(profile.length);
    expect([...gunzipSync(gz)]).toEqual([...profile]);
  });

  it('a runner that is not there: posts resolve false, never throw or hang', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r())); // nothing listens there now
    const io = new AgentIO(`http://127.0.0.1:${port}`, () => undefined);
    expect(await io.send({ type: 'warning', message: 'x' })).toBe(false);
  });
});
