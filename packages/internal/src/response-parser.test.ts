import { describe, expect, it } from 'vitest';
import { ResponseParser } from './response-parser.ts';

/** Feeds `text` cut at every possible point into two reads, and in one read. */
function parseSplit(text: string, noBody = false): ResponseParser[] {
  const buf = Buffer.from(text, 'latin1');
  const out: ResponseParser[] = [];
  for (let cut = 0; cut <= buf.length; cut++) {
    const p = new ResponseParser();
    p.reset(noBody);
    const first = p.feed(buf, 0, cut);
    const done = first || p.feed(buf, cut, buf.length);
    expect(done, `cut at ${cut}`).toBe(true);
    out.push(p);
  }
  return out;
}

describe('ResponseParser', () => {
  it('parses content-length bodies wherever the reads split', () => {
    for (const p of parseSplit('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello')) {
      expect(p.status).toBe(200);
      expect(p.close).toBe(false);
    }
  });

  it('parses chunked bodies with extensions and trailers wherever the reads split', () => {
    const text = 'HTTP/1.1 503 Busy\r\ntransfer-encoding: chunked\r\n\r\n5;x=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n';
    for (const p of parseSplit(text)) expect(p.status).toBe(503);
  });

  it('says where the response ended in the read that completed it (endAt), whatever follows', () => {
    const responses = [
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
    ];
    for (const r of responses)
      for (const after of ['', 'HTTP/1.1 200 OK\r\n', 'x']) {
        const buf = Buffer.from(`junk${r}${after}`, 'latin1');
        const p = new ResponseParser();
        p.reset(false);
        expect(p.feed(buf, 4, buf.length), r).toBe(true);
        expect(p.endAt, `${r} + ${JSON.stringify(after)}`).toBe(4 + r.length);
      }
    // Completed in a second read: endAt is within that read.
    const p = new ResponseParser();
    p.reset(false);
    const a = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel', 'latin1');
    expect(p.feed(a, 0, a.length)).toBe(false);
    const b = Buffer.from('loEXTRA', 'latin1');
    expect(p.feed(b, 0, b.length)).toBe(true);
    expect(p.endAt).toBe(2);
  });

  it('is not done before the last byte', () => {
    const buf = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n');
    const p = new ResponseParser();
    p.reset(false);
    expect(p.feed(buf, 0, buf.length - 1)).toBe(false);
    expect(p.feed(buf, buf.length - 1, buf.length)).toBe(true);
  });

  it('sees connection: close and HTTP/1.0, and bodies delimited by the end of the connection', () => {
    expect(parseSplit('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')[0]!.close).toBe(true);
    expect(parseSplit('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')[0]!.close).toBe(true);
    const p = new ResponseParser();
    p.reset(false);
    const b = Buffer.from('HTTP/1.1 200 OK\r\n\r\nuntil close');
    expect(p.feed(b, 0, b.length)).toBe(false);
    expect(p.end()).toBe(true);
    expect(p.close).toBe(true);
  });

  it('skips interim 1xx responses, and bodies of HEAD, 204 and 304', () => {
    expect(parseSplit('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok')[0]!.status).toBe(201);
    expect(parseSplit('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n', true)[0]!.status).toBe(200);
    expect(parseSplit('HTTP/1.1 204 No Content\r\n\r\n')[0]!.status).toBe(204);
    expect(parseSplit('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n')[0]!.status).toBe(304);
  });

  it('rejects what is not HTTP', () => {
    const p = new ResponseParser();
    p.reset(false);
    const b = Buffer.from('SSH-2.0-OpenSSH\r\n\r\n');
    expect(() => p.feed(b, 0, b.length)).toThrow();
  });

  it('finds every line end whatever the alignment of the read in memory (heads are scanned a word at a time)', () => {
    // Header lines of every length 1..12 put each LF at every position within a 4-byte word.
    let head = 'HTTP/1.1 200 OK\r\n';
    for (let n = 1; n <= 12; n++) head += `X-${'a'.repeat(n)}: ${'b'.repeat(n)}\r\n`;
    const text = `${head}Content-Length: 3\r\nConnection: close\r\n\r\nabc`;
    for (let offset = 0; offset < 8; offset++) {
      const mem = Buffer.alloc(offset + text.length + 8, 0x0a); // LFs all around: a scan that strays out of range finds one
      mem.write(text, offset, 'latin1');
      const b = mem.subarray(offset, offset + text.length);
      for (let cut = 0; cut <= b.length; cut++) {
        const p = new ResponseParser();
        p.reset(false);
        const done = p.feed(b, 0, cut) || p.feed(b, cut, b.length);
        expect(done, `offset ${offset}, cut at ${cut}`).toBe(true);
        expect(p.close).toBe(true);
        expect(p.bytes).toBe(text.length);
      }
    }
  });

  it('reads connection options and the final transfer coding as whole tokens (RFC 9112 §6.3, §9.3; found by the llhttp fuzz test)', () => {
    expect(parseSplit('HTTP/1.1 200 OK\r\nConnection: Aclose\r\nContent-Length: 0\r\n\r\n')[0]!.close).toBe(false);
    expect(parseSplit('HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n')[0]!.close).toBe(true);
    expect(parseSplit('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')[0]!.status).toBe(200);
    const p = new ResponseParser();
    p.reset(false);
    const b = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n');
    expect(p.feed(b, 0, b.length)).toBe(false); // not chunked last: the body runs to the close
    expect(p.end()).toBe(true);
  });
});
