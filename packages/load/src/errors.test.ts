import { describe, expect, it } from 'vitest';
import type { Phase, Request } from '@headroom/core';
import { collect, deadPort, httpServer, phaseEnds, plan, rawServer } from './test-servers.ts';

const closed = (durationMs: number, connections = 2): Phase => ({
  name: 'p',
  model: 'closed',
  warmup: false,
  durationMs,
  connections,
  thinkTimeMs: 0,
});
const open = (durationMs: number, rate: number, connections = 4): Phase => ({
  name: 'p',
  model: 'constant',
  warmup: false,
  durationMs,
  connections,
  rate,
});
const req = (path: string): Request => ({ name: path, method: 'GET', path, headers: {}, body: null, weight: 1 });

describe('errors by kind', () => {
  it('non-2xx responses count by status class', async () => {
    const s = await httpServer((q, res) => {
      res.statusCode = q.url === '/missing' ? 404 : q.url === '/busy' ? 503 : 302;
      res.end();
    });
    const ms = await collect(plan(s.url, [open(500, 300)], { requests: [req('/missing'), req('/busy'), req('/moved')] }));
    await s.close();
    const e = phaseEnds(ms)[0]!;
    expect(e.requests).toBe(150);
    expect(e.ok).toBe(0);
    expect(e.errors).toEqual({ http_4xx: 50, http_5xx: 50, http_3xx: 50 });
  });

  it('a port with nothing listening is refused, never a crash, and retried with backoff', async () => {
    const url = await deadPort();
    const ms = await collect(plan(url, [closed(600)]));
    const e = phaseEnds(ms)[0]!;
    expect(Object.keys(e.errors)).toEqual(['refused']);
    // 2 connections backing off 20, 40, 80, 160, 320 ms: a handful of attempts each, not thousands.
    expect(e.errors.refused).toBeGreaterThanOrEqual(4);
    expect(e.errors.refused).toBeLessThan(40);
    expect(ms.at(-1)!.type).toBe('done');
    // Open model: every arrival fails fast as refused instead of piling up.
    const o = phaseEnds(await collect(plan(url, [open(500, 200)])))[0]!;
    expect(o).toMatchObject({ requests: 100, offered: 100, errors: { refused: 100 } });
  });

  it('a server that destroys the socket mid-request gives reset or closed', async () => {
    const s = await rawServer((sock) => sock.once('data', () => sock.destroy()));
    const e = phaseEnds(await collect(plan(s.url, [closed(300)])))[0]!;
    await s.close();
    const kinds = Object.keys(e.errors);
    expect(kinds.length).toBeGreaterThan(0);
    for (const k of kinds) expect(['reset', 'closed']).toContain(k);
    expect(e.requests).toBeGreaterThan(5);
  });

  it('a server that closes a keep-alive connection after half a response gives closed', async () => {
    const s = await rawServer((sock) => sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort')));
    const e = phaseEnds(await collect(plan(s.url, [closed(300)])))[0]!;
    await s.close();
    expect(Object.keys(e.errors)).toEqual(['closed']);
  });

  it('a server that never answers times out, and the connection is replaced', async () => {
    let connections = 0;
    const s = await rawServer(() => {
      connections++;
    });
    const e = phaseEnds(await collect(plan(s.url, [closed(1000)], { timeoutMs: 200 })))[0]!;
    await s.close();
    // 2 connections × ~1000/200 ms; the sweep resolves to 20 ms.
    expect(e.errors.timeout).toBeGreaterThanOrEqual(6);
    expect(e.errors.timeout).toBeLessThanOrEqual(12);
    expect(Object.keys(e.errors)).toEqual(['timeout']);
    expect(connections).toBeGreaterThanOrEqual(e.errors.timeout!);
  });

  it("a response that cannot be parsed counts as `other` and warns once per phase with the parser's reason", async () => {
    const s = await rawServer((sock) => sock.on('data', () => sock.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nZZ\r\n')));
    const ms = await collect(plan(s.url, [open(500, 100)]));
    await s.close();
    const e = phaseEnds(ms)[0]!;
    expect(e.errors).toEqual({ other: 50 });
    const warnings = ms.flatMap((m) => (m.type === 'warning' ? [m.message] : []));
    expect(warnings.filter((w) => w.includes('could not be parsed'))).toEqual([
      `response from ${s.url} could not be parsed in p (GET /): chunk size has a byte that is not a hex digit: "Z"; such responses count as errors of kind "other"`,
    ]);
  });
});
