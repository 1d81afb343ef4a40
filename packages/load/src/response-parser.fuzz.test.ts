import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseParser } from '@headroom/internal/response-parser';
import { rawServer } from './test-servers.ts';
import type { TestServer } from './test-servers.ts';

/**
 * Differential fuzzing of the hot-path parser against llhttp, the parser of Node's own HTTP
 * client: each generated response is served from a raw TCP server to a real `http.request`,
 * and fed to ResponseParser split at random points. Where llhttp accepts a response, ours
 * must agree on its status and on where it ends (before the connection closes, or only at
 * the close); and on whether the connection stays open; where ours rejects one, llhttp must reject it too. Ours may accept what llhttp
 * rejects (it is deliberately lenient: it reads only what framing needs).
 * Seeded (HEADROOM_FUZZ_SEED, HEADROOM_FUZZ_CASES) so a failure is reproducible.
 */
const SEED = Number(process.env['HEADROOM_FUZZ_SEED'] ?? 20261202);
const CASES = Number(process.env['HEADROOM_FUZZ_CASES'] ?? 400);

/** mulberry32: a small seeded PRNG (Tommy Ettinger's public-domain generator). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  bytes: Buffer;
  head: boolean;
  mutated: boolean;
  /** Unmutated and framed: ends exactly at its last byte. */ framedEnd: boolean;
}

function generate(rnd: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const casing = (s: string): string =>
    pick([s, s.toLowerCase(), s.toUpperCase(), [...s].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('')]);
  const ows = (): string => pick(['', ' ', '  ', '\t']);
  const head = rnd() < 0.1;
  const version = rnd() < 0.85 ? '1.1' : '1.0';
  const status = pick([200, 200, 201, 204, 206, 301, 304, 400, 404, 429, 500, 503, int(200, 599)]);
  let text = '';
  if (rnd() < 0.1)
    text += `HTTP/1.1 ${pick([100, 102, 103])} ${pick(['Continue', 'Processing', 'Early Hints'])}\r\n${rnd() < 0.5 ? 'Link: </a>; rel=preload\r\n' : ''}\r\n`;
  text += `HTTP/${version} ${status} ${pick(['OK', 'Created', 'Not Found', 'Whatever it says', ''])}\r\n`;
  const headers: string[] = [];
  for (let k = int(0, 4); k > 0; k--)
    headers.push(
      `${casing(pick(['X-Request-Id', 'Content-Type', 'Cache-Control', 'Date', 'Server', 'Connectionx', 'Content-Lengthy', 'Tra']))}:${ows()}${pick(['abc', 'text/plain; charset=utf-8', '0', 'chunked', 'close', 'no-cache, no-store'])}${ows()}`,
    );
  const bodiless = head || status === 204 || status === 304;
  const framing = pick(['length', 'length', 'chunked', 'chunked', 'eof']);
  let body = '';
  let framedEnd = true;
  if (framing === 'length') {
    const n = int(0, 300);
    headers.push(`${casing('Content-Length')}:${ows()}${n}${ows()}`);
    body = bodiless ? '' : 'b'.repeat(n);
  } else if (framing === 'chunked') {
    headers.push(`${casing('Transfer-Encoding')}:${ows()}${casing('chunked')}`);
    if (!bodiless) {
      for (let k = int(0, 4); k > 0; k--) {
        const n = int(1, 200);
        body += `${rnd() < 0.5 ? n.toString(16) : n.toString(16).toUpperCase()}${rnd() < 0.2 ? ';ext=1' : ''}\r\n${'c'.repeat(n)}\r\n`;
      }
      body += `0\r\n${rnd() < 0.2 ? 'X-Trailer: 1\r\n' : ''}\r\n`;
    }
  } else {
    framedEnd = bodiless;
    body = bodiless ? '' : 'e'.repeat(int(0, 100));
  }
  const conn = pick(['', '', 'close', 'keep-alive']);
  if (conn !== '') headers.push(`${casing('Connection')}:${ows()}${conn}`);
  for (let k = headers.length - 1; k > 0; k--) {
    const j = int(0, k);
    [headers[k], headers[j]] = [headers[j]!, headers[k]!];
  }
  text += `${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
  const bytes = Buffer.from(text, 'latin1');
  const mutated = rnd() < 0.35;
  if (mutated) {
    for (let k = int(1, 3); k > 0; k--) {
      const at = int(0, bytes.length - 1);
      bytes[at] = pick([0, 10, 13, 32, 48, 57, 58, 65, 102, 127, 255, int(0, 255)]);
    }
  }
  return { bytes, head, mutated, framedEnd: framedEnd && !mutated };
}

type Outcome = { kind: 'error'; message: string } | { kind: 'ok'; status: number; beforeClose: boolean; close: boolean };

/**
 * llhttp's verdict: the server writes the bytes, waits, then closes; 'end' before the close
 * means the framing ended it. Through a keep-alive agent, the request's shouldKeepAlive at the
 * end is llhttp's reading of whether the connection stays open after this response.
 */
function viaLlhttp(url: string, c: Case, id: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let closed = false;
    let settled = false;
    const done = (o: Outcome): void => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = http.request(`${url}/${id}`, { method: c.head ? 'HEAD' : 'GET', agent: keepAlive }, (res) => {
      res.socket.once('end', () => {
        closed = true;
      });
      res.on('data', () => {});
      res.on('end', () => done({ kind: 'ok', status: res.statusCode ?? 0, beforeClose: !closed, close: !req.shouldKeepAlive }));
      res.on('error', (e) => done({ kind: 'error', message: e.message }));
      res.on('aborted', () => done({ kind: 'error', message: 'aborted' }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', message: `${e.code ?? ''} ${e.message}` }));
    req.end();
  });
}

/** Ours, with the bytes split at two random points; also the first byte count at which it was done. */
function viaOurs(c: Case, rnd: () => number): Outcome & { doneAt: number } {
  const p = new ResponseParser();
  p.reset(c.head);
  const n = c.bytes.length;
  const cuts = [Math.floor(rnd() * (n + 1)), Math.floor(rnd() * (n + 1))].sort((a, b) => a - b);
  const parts: [number, number][] = [
    [0, cuts[0]!],
    [cuts[0]!, cuts[1]!],
    [cuts[1]!, n],
  ];
  try {
    for (const [s, e] of parts) {
      if (e > s && p.feed(c.bytes, s, e)) return { kind: 'ok', status: p.status, beforeClose: true, close: p.close, doneAt: doneAt(c) };
    }
    return p.end()
      ? { kind: 'ok', status: p.status, beforeClose: false, close: p.close, doneAt: -1 }
      : { kind: 'error', message: 'cut short', doneAt: -1 };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message, doneAt: -1 };
  }
}

/** Whether the response carries a Content-Length, or chunked as its final transfer coding. */
function framedHead(c: Case): boolean {
  const t = c.bytes.toString('latin1');
  return (
    /\r\ncontent-length[ \t]*:[ \t]*\d+[ \t]*\r\n/i.test(t) || /\r\ntransfer-encoding[ \t]*:(?:[^\r\n]*,)?[ \t]*chunked[ \t]*\r\n/i.test(t)
  );
}

/** Byte by byte: how many bytes it took until the parser said done. */
function doneAt(c: Case): number {
  const p = new ResponseParser();
  p.reset(c.head);
  for (let i = 0; i < c.bytes.length; i++) if (p.feed(c.bytes, i, i + 1)) return i + 1;
  return -1;
}

let srv: TestServer;
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const cases: Case[] = [];
beforeAll(async () => {
  const rnd = prng(SEED);
  for (let k = 0; k < CASES; k++) cases.push(generate(rnd));
  srv = await rawServer((sock) => {
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const m = /^[A-Z]+ \/(\d+) /.exec(got);
      if (m === null || !got.includes('\r\n\r\n')) return;
      sock.write(cases[Number(m[1])]!.bytes);
      setTimeout(() => sock.end(), 30); // long enough that a framed response ends first
    });
    sock.on('error', () => {});
  });
});
afterAll(async () => {
  keepAlive.destroy();
  await srv.close();
});

describe('ResponseParser against llhttp (differential fuzzing)', () => {
  it(`agrees on status, framing and keep-alive wherever llhttp accepts, and rejects only what llhttp rejects (${CASES} cases, seed ${SEED})`, async () => {
    const rnd = prng(SEED ^ 0x5bd1e995);
    const theirs = await Promise.all(cases.map((c, id) => viaLlhttp(srv.url, c, id)));
    let accepted = 0;
    let bothRejected = 0;
    const disagreements: string[] = [];
    cases.forEach((c, id) => {
      const t = theirs[id]!;
      const o = viaOurs(c, rnd);
      const show = `case ${id}${c.mutated ? ' (mutated)' : ''}${c.head ? ' HEAD' : ''} ${JSON.stringify(c.bytes.toString('latin1').slice(0, 160))}: llhttp ${JSON.stringify(t)}, ours ${JSON.stringify(o)}`;
      if (t.kind === 'ok') {
        accepted++;
        // A HEAD response without Content-Length or a final chunked coding: Node reports close (it asks
        // llhttp about keep-alive before telling it the body is skipped, so llhttp counts on a body
        // until EOF); RFC 9112 §6.3 ends such a response at its head and §9.3 keeps the connection.
        const closeAgrees = o.kind === 'ok' && (o.close === t.close || (c.head && t.close && !o.close && !framedHead(c)));
        if (o.kind !== 'ok' || o.status !== t.status || o.beforeClose !== t.beforeClose || !closeAgrees) disagreements.push(show);
        else if (c.framedEnd && o.doneAt !== c.bytes.length)
          disagreements.push(`${show}: done after ${o.doneAt} of ${c.bytes.length} bytes`);
      } else if (o.kind === 'error') bothRejected++;
    });

    expect(disagreements).toEqual([]);
    // The generator must exercise both sides: most cases valid, some rejected by both.
    expect(accepted).toBeGreaterThan(CASES * 0.5);
    expect(bothRejected).toBeGreaterThan(0);
  }, 60_000);
});
