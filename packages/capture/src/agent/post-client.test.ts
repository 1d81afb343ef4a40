import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PostClient } from './post-client.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    if (server instanceof http.Server) server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw TCP server: `answer(request, n)` is called with each whole request (head and body) received on a connection, n counting connections from 1. */
async function rawServer(answer: (socket: net.Socket, request: string, connection: number) => void): Promise<string> {
  let connections = 0;
  const server = net.createServer((s) => {
    const n = ++connections;
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        answer(s, request, n);
      }
    });
    s.on('error', () => undefined);
  });
  return listen(server);
}

describe('PostClient (the agent’s POSTs on a kept-alive socket)', () => {
  it('posts bodies byte for byte on one kept-alive connection, reading 204, Content-Length and chunked answers', async () => {
    const got: { path: string; type: string; body: Buffer; socket: unknown }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks), socket: req.socket });
        if (req.url === '/empty') res.writeHead(204).end();
        else if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('part one, ');
          setTimeout(() => res.end('part two'), 5); // two chunks, arriving apart
        } else if (req.url === '/bad') res.writeHead(400, { 'content-length': 3 }).end('no!');
        else res.writeHead(200, { 'content-length': 2 }).end('ok');
      });
    });
    const url = await listen(server);
    const client = new PostClient();
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    expect(await client.post(`${url}/empty`, 'application/json', Buffer.from('{"a":1}'), 2000)).toBe(true);
    expect(await client.post(`${url}/chunked?x=1`, 'application/octet-stream', new Uint8Array([0, 1, 255]), 2000)).toBe(true);
    expect(await client.post(`${url}/big`, 'application/octet-stream', big, 5000)).toBe(true);
    expect(await client.post(`${url}/bad`, 'text/plain', Buffer.from('x'), 2000)).toBe(false);
    expect(await client.post(`${url}/after`, 'text/plain', Buffer.from('y'), 2000)).toBe(true);
    expect(got.map((g) => g.path)).toEqual(['/empty', '/chunked?x=1', '/big', '/bad', '/after']);
    expect(got[0]!.type).toBe('application/json');
    expect(JSON.parse(got[0]!.body.toString())).toEqual({ a: 1 });
    expect([...got[1]!.body]).toEqual([0, 1, 255]);
    expect(got[2]!.body.equals(Buffer.from(big))).toBe(true);
    // One connection carried all five: the framing of every answer was read to its end.
    expect(new Set(got.map((g) => g.socket)).size).toBe(1);
  });

  it('concurrent posts go one after another on the one connection, in order', async () => {
    const order: string[] = [];
    const url = await rawServer((s, request) => {
      order.push(/^POST (\S+)/.exec(request)![1]!);
      setTimeout(() => s.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'), 2);
    });
    const client = new PostClient();
    const results = await Promise.all(['/1', '/2', '/3', '/4'].map((p) => client.post(`${url}${p}`, 'text/plain', Buffer.from(p), 2000)));
    expect(results).toEqual([true, true, true, true]);
    expect(order).toEqual(['/1', '/2', '/3', '/4']);
  });

  it('a kept-alive connection the receiver closed: the next post goes out once more on a fresh one', async () => {
    // Connection 1 answers its first request and closes without answering the second (as a server
    // timing out an idle keep-alive connection just as it is reused); later connections answer.
    const seen: number[] = [];
    const url = await rawServer((s, _request, n) => {
      seen.push(n);
      if (n === 1 && seen.filter((x) => x === 1).length === 2) s.destroy();
      else s.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    });
    const client = new PostClient();
    expect(await client.post(`${url}/a`, 'text/plain', Buffer.from('a'), 2000)).toBe(true);
    expect(await client.post(`${url}/b`, 'text/plain', Buffer.from('b'), 2000)).toBe(true);
    expect(seen).toEqual([1, 1, 2]);
  });

  it('a receiver that closes every connection unanswered: false after one retry, no loop', async () => {
    let requests = 0;
    const url = await rawServer((s) => {
      requests++;
      if (requests === 1) s.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
      else s.destroy();
    });
    const client = new PostClient();
    expect(await client.post(`${url}/a`, 'text/plain', Buffer.from('a'), 2000)).toBe(true);
    expect(await client.post(`${url}/b`, 'text/plain', Buffer.from('b'), 2000)).toBe(false);
    expect(requests).toBe(3); // /a, /b, /b once more on a fresh connection
  });

  it('no answer within the timeout, garbage, or nobody listening: false, and the next post works', async () => {
    let n = 0;
    const url = await rawServer((s) => {
      n++;
      if (n === 1) return; // never answers
      if (n === 2) s.write('SPDY/9 what\r\n\r\n');
      else if (n === 3) s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nhi');
      else s.write('HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\ntoo long'); // more bytes than the response
    });
    const client = new PostClient();
    const t0 = performance.now();
    expect(await client.post(`${url}/slow`, 'text/plain', Buffer.from('x'), 300)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(await client.post(`${url}/garbage`, 'text/plain', Buffer.from('x'), 2000)).toBe(false);
    expect(await client.post(`${url}/interim`, 'text/plain', Buffer.from('x'), 2000)).toBe(true);
    expect(await client.post(`${url}/overlong`, 'text/plain', Buffer.from('x'), 2000)).toBe(false);

    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    expect(await client.post(`http://127.0.0.1:${port}/x`, 'text/plain', Buffer.from('x'), 2000)).toBe(false);
    expect(await client.post('not a url', 'text/plain', Buffer.from('x'), 2000)).toBe(false);
    expect(await client.post('https://127.0.0.1:1/x', 'text/plain', Buffer.from('x'), 2000)).toBe(false);
  });
});
