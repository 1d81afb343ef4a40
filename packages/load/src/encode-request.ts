import type { Request } from '@headroom/core';

/** A request encoded once as HTTP/1.1 bytes, so the hot path only writes Buffers. */
export interface EncodedRequest {
  name: string;
  /** The whole request. */
  full: Buffer;
  /** Request line and headers, without the blank line: traceparent is inserted after it. */
  head: Buffer;
  /** The blank line and the body. */
  tail: Buffer;
  /** HEAD responses carry no body whatever their headers say. */
  noBody: boolean;
}

/** Encodes one request for `target` (http://host:port), adding host, content-length and keep-alive. */
export function encodeRequest(target: string, r: Request): EncodedRequest {
  const url = new URL(target);
  const headers: Record<string, string> = { host: url.host, ...r.headers };
  const body = r.body === null ? null : Buffer.from(r.body);
  if (body !== null) headers['content-length'] = String(body.length);
  else if (r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH') headers['content-length'] = '0';
  let text = `${r.method} ${r.path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
  const head = Buffer.from(text, 'latin1');
  const tail = body === null ? Buffer.from('\r\n') : Buffer.concat([Buffer.from('\r\n'), body]);
  return { name: r.name, full: Buffer.concat([head, tail]), head, tail, noBody: r.method === 'HEAD' };
}
