/**
 * The TLS side of a connection to an https:// target: the worker reads the scenario's PEM
 * files once, every connection opens its TLS socket through one `TlsTransport`, and a
 * reconnect offers the last session ticket it got (RFC 8446 §2.2 resumption, or a TLS 1.2
 * session id), so only a worker's first connections pay a full handshake. A keep-alive
 * connection reconnects only when the server closed it; resumption makes that cheap too.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { Tls } from '@headroom/core';

/** Called with the bytes of every read, as node:net's `onread` option. */
export type OnRead = (n: number, buf: Uint8Array) => boolean;

/** How one worker opens TLS sockets to the target. */
export class TlsTransport {
  readonly #options: tls.ConnectionOptions;
  readonly resume: boolean;
  /** The newest session any connection received: a connection that never had its own starts from it. */
  latest: Buffer | null = null;
  /** Handshakes that resumed a session, and full ones: the bench and tests read them. */
  resumed = 0;
  full = 0;

  constructor(options: tls.ConnectionOptions, resume: boolean) {
    // One secure context (CA store, client certificate) for every connection: left to
    // tls.connect, each connection would build its own from the options.
    const { ca, cert, key, ecdhCurve, ...rest } = options;
    this.#options = {
      ...rest,
      secureContext: tls.createSecureContext({ ca, cert, key, ...(ecdhCurve === undefined ? {} : { ecdhCurve }) }),
    };
    this.resume = resume;
  }

  /** Opens a TLS socket; `session`: a ticket to offer (the connection's own, else the worker's latest). */
  connect(host: string, port: number, onread: { buffer: Buffer; callback: OnRead }, session: Buffer | null): tls.TLSSocket {
    const offer = this.resume ? (session ?? this.latest) : null;
    // onread reaches the net.Socket under the TLS socket (node's lib/_tls_wrap.js passes the
    // options on): decrypted bytes land in the shared buffer as on plain TCP. @types/node omits it.
    const options = { ...this.#options, host, port, onread, ...(offer === null ? {} : { session: offer }) } as tls.ConnectionOptions;
    return tls.connect(options).setNoDelay(true);
  }

  /** Notes a finished handshake (from `secureConnect`). */
  handshake(socket: tls.TLSSocket): void {
    if (socket.isSessionReused()) this.resumed++;
    else this.full++;
  }
}

/**
 * The node:tls options for a resolved `target.tls`, reading its PEM files. ALPN offers
 * http/1.1 only: the engine speaks HTTP/1.1, and a server that prefers h2 must not pick it.
 */
export function tlsOptions(t: Tls): tls.ConnectionOptions {
  const read = (f: string): Buffer => readFileSync(f);
  return {
    rejectUnauthorized: !t.insecure,
    ALPNProtocols: ['http/1.1'],
    ...(t.ca.length > 0 ? { ca: t.ca.map(read) } : {}),
    ...(t.cert !== null && t.key !== null ? { cert: read(t.cert), key: read(t.key) } : {}),
    ...(t.servername !== null ? { servername: t.servername } : {}),
    ...(t.groups !== null && t.groups !== undefined ? { ecdhCurve: t.groups } : {}),
  };
}

/**
 * Certificate verification failures, as node:tls names OpenSSL's X509_V_ERR_* codes (a
 * certificate that does not name the host is ERR_TLS_CERT_ALTNAME_INVALID).
 */
const CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/**
 * Whether a socket error code is TLS's own: the peer's certificate failed verification, or the
 * handshake or a record failed in OpenSSL (ERR_SSL_*: an alert, a protocol or version mismatch)
 * or in node:tls (ERR_TLS_*). Network failures under TLS (ECONNRESET …) are not.
 */
export function isTlsErrorCode(code: string | undefined): boolean {
  return code !== undefined && (CERT_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'));
}

/** The transport of a worker whose plan targets https://, null for http://. */
export function tlsTransport(t: Tls | null | undefined): TlsTransport | null {
  return t === null || t === undefined ? null : new TlsTransport(tlsOptions(t), t.resume);
}
