/** Request bodies for the receivers: size-capped reading, Content-Encoding, multipart/form-data. */
import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';

/** A request the receiver refuses, with the 4xx status to answer. */
export class BadRequest extends Error {
  override name = 'BadRequest';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Bytes being received by all requests together. A body holds its bytes from its first
 * chunk until its handler is done (`give` back), so many large bodies at once cannot take
 * the runner's memory: beyond `max`, a request is refused with 503 and Retry-After.
 */
export class ByteBudget {
  used = 0;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

/** Reads the whole body, answering 413 as soon as it passes `maxBytes` and 503 when `budget` is spent; the caller gives the body's bytes back. */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: ByteBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      req.resume();
      reject(new BadRequest(413, `body of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
      return;
    }
    if (budget && declared > 0 && budget.used + declared > budget.max) {
      req.resume();
      reject(new BadRequest(503, `receiving ${budget.used} bytes already; retry later`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBytes) {
        failed = true;
        budget?.give(size - c.length);
        reject(new BadRequest(413, `body exceeds the ${maxBytes}-byte limit`));
        return;
      }
      if (budget && !budget.take(c.length)) {
        failed = true;
        budget.give(size - c.length);
        reject(new BadRequest(503, `receiving ${budget.used} bytes already; retry later`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) {
        failed = true;
        budget?.give(size);
        reject(e);
      }
    });
  });
}

/** Undoes Content-Encoding gzip/deflate, capped at `maxInflated` bytes. */
export function decodeContentEncoding(body: Buffer, encoding: string | undefined, maxInflated: number): Buffer {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  try {
    if (enc === 'gzip') return gunzipSync(body, { maxOutputLength: maxInflated });
    if (enc === 'deflate') return inflateSync(body, { maxOutputLength: maxInflated });
  } catch (e) {
    throw new BadRequest(400, `cannot decode ${enc} body: ${(e as Error).message}`);
  }
  if (enc !== 'identity' && enc !== '') throw new BadRequest(415, `unsupported Content-Encoding ${enc}`);
  return body;
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its named parts.
 * Only what Pyroscope clients send is needed: name and raw bytes of each part.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new BadRequest(400, 'multipart body without boundary');
  const delim = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let pos = body.indexOf(delim);
  if (pos < 0) throw new BadRequest(400, 'multipart boundary not found in body');
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) throw new BadRequest(400, 'multipart part is not terminated');
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new BadRequest(400, 'multipart part without headers');
    const headers = part.subarray(0, headerEnd).toString('latin1');
    let content = part.subarray(headerEnd + 4);
    if (content.length >= 2 && content[content.length - 2] === 0x0d && content[content.length - 1] === 0x0a) {
      content = content.subarray(0, content.length - 2);
    }
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) parts.set(name, content);
    pos = next;
  }
  return parts;
}
