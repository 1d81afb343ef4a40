import { describe, expect, it } from 'vitest';
import { ResponseParser } from '@headroom/internal/response-parser';
import { ResponseCapture } from './captured-response.ts';

/** Feeds `bytes` in reads of `chunk` bytes through a capturing parser, as a connection does. */
function receive(bytes: string, chunk = bytes.length): ReturnType<ResponseCapture['take']> {
  const parser = new ResponseParser();
  const capture = new ResponseCapture(parser);
  parser.reset(false);
  capture.reset();
  const buf = Buffer.from(bytes, 'latin1');
  let done = false;
  for (let i = 0; i < buf.length && !done; i += chunk) done = parser.feed(buf, i, Math.min(buf.length, i + chunk));
  expect(done).toBe(true);
  return capture.take(parser.status, 1.5);
}

describe('captured responses', () => {
  it('reads headers (lower-cased, repeats joined) and a JSON body, and sees Set-Cookie in any case', () => {
    const { response: r, setsCookies } = receive(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSET-COOKIE: a=1\r\nset-cookie: b=2\r\nX-Tag: x\r\nX-Tag: y\r\nContent-Length: 13\r\n\r\n{"token":"t"}',
      7,
    );
    expect(setsCookies).toBe(true);
    expect(r.status).toBe(200);
    expect(r.durationMs).toBe(1.5);
    expect(r.error).toBeNull();
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['set-cookie']).toBe('a=1\nb=2');
    expect(r.headers['x-tag']).toBe('x, y');
    expect(r.json()).toEqual({ token: 't' });
    expect(r.text()).toBe('{"token":"t"}');
  });

  it('skips interim 1xx heads, decodes a chunked body, and reports no cookie when a header only mentions one', () => {
    const { response: r, setsCookies } = receive(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Set-Cookie: no\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    );
    expect(setsCookies).toBe(false);
    expect(r.status).toBe(201);
    expect(r.headers['x-set-cookie']).toBe('no');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.text()).toBe('hello world');
    expect(() => r.json()).toThrow(SyntaxError);
  });
});
