import type { VuResponse } from '@headroom/core';
import type { ResponseParser } from '../response-parser.ts';

/** Bytes of one response kept for a flow to read; larger responses are still timed, their bodies cut. */
const MAX_CAPTURE_BYTES = 4 * 1024 * 1024;

/**
 * Keeps the bytes a connection's parser consumes, so a flow can read headers and body. The
 * connection layer (plain or TLS) reads into one shared buffer and hands every read to its
 * parser's `feed`; wrapping that one method on this connection's parser is the seam, so the
 * static fast path and the transports stay as they are.
 */
export class ResponseCapture {
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(parser: ResponseParser) {
    const feed = parser.feed.bind(parser);
    parser.feed = (buf: Buffer, start: number, end: number): boolean => {
      if (this.#size < MAX_CAPTURE_BYTES) {
        const n = Math.min(end - start, MAX_CAPTURE_BYTES - this.#size);
        this.#chunks.push(Buffer.from(buf.subarray(start, start + n)));
        this.#size += n;
      }
      return feed(buf, start, end);
    };
  }

  /** Starts a new response. */
  reset(): void {
    this.#chunks = [];
    this.#size = 0;
  }

  /** The captured response as a flow sees it, and whether its head sets cookies (checked before any header is parsed). */
  take(status: number, durationMs: number): { response: VuResponse; setsCookies: boolean } {
    const raw = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    this.reset();
    return parseResponse(raw, status, durationMs);
  }
}

/** A response that never came (transport error). */
export function failedResponse(error: string, durationMs: number): VuResponse {
  return {
    status: 0,
    headers: {},
    error,
    durationMs,
    text: () => '',
    json: () => {
      throw new Error(`no response (${error}): nothing to parse as JSON`);
    },
  };
}

function parseResponse(raw: Buffer, status: number, durationMs: number): { response: VuResponse; setsCookies: boolean } {
  // The last head in the bytes is the final response's (1xx interim heads come before it).
  let headEnd = raw.indexOf('\r\n\r\n');
  let headStart = 0;
  while (headEnd >= 0 && raw.toString('latin1', headStart, headStart + 12).startsWith('HTTP/1.1 1')) {
    headStart = headEnd + 4;
    headEnd = raw.indexOf('\r\n\r\n', headStart);
  }
  if (headEnd < 0) headEnd = raw.length;
  // Headers are parsed when first read (most flows read few responses' headers): the hot path pays one latin1 decode.
  const head = raw.toString('latin1', headStart, headEnd);
  let headers: Record<string, string> | null = null;
  const rawBody = raw.subarray(Math.min(raw.length, headEnd + 4));
  let body: string | null = null;
  const response: VuResponse = {
    status,
    get headers(): Record<string, string> {
      headers ??= parseHeaders(head);
      return headers;
    },
    error: null,
    durationMs,
    text(): string {
      const chunked = /^transfer-encoding:[^\r]*chunked/im.test(head);
      body ??= (chunked ? dechunk(rawBody) : rawBody).toString('utf8');
      return body;
    },
    json: () => JSON.parse(response.text()),
  };
  return { response, setsCookies: /^set-cookie:/im.test(head) };
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const k = line.slice(0, colon).trim().toLowerCase();
    const v = line.slice(colon + 1).trim();
    headers[k] = headers[k] === undefined ? v : `${headers[k]}${k === 'set-cookie' ? '\n' : ', '}${v}`;
  }
  return headers;
}

/** Decodes a chunked body (RFC 9112 §7.1); extensions and trailers are skipped. */
function dechunk(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < b.length) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = Number.parseInt(b.toString('latin1', i, eol).split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
