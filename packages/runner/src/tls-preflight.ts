/**
 * Before load starts on an https:// target, one TLS handshake with the scenario's options:
 * a certificate that is not trusted or does not name the host would otherwise turn every
 * request of the run into an error. A failed handshake is a failed run (exit 3) that names
 * the reason and the fix; a target that does not answer is left to the run, which reports it
 * as unreachable.
 */
import tls from 'node:tls';
import { RunFailedError, type Tls } from '@headroom/core';
import { tlsOptions } from '@headroom/load';

/** How long the handshake may take before the check gives up and lets the run find out. */
const HANDSHAKE_TIMEOUT_MS = 5000;

/** Codes of a connection that never reached TLS: not this check's business. */
const UNREACHED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/** Shakes hands with `target` using `t`; throws RunFailedError('E_TLS_HANDSHAKE') saying why and what to change. */
export async function checkTlsHandshake(target: string, t: Tls): Promise<void> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 443 : Number(url.port);
  let options: tls.ConnectionOptions;
  try {
    options = { ...tlsOptions(t), host, port };
  } catch (err) {
    throw new RunFailedError('E_TLS_HANDSHAKE', `target.tls files could not be read: ${(err as Error).message}`);
  }
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(options, () => {
        socket.destroy();
        resolve(null);
      });
    } catch (e) {
      // Raised while building the secure context: a key that does not match its certificate, a PEM that is not one.
      resolve(e as NodeJS.ErrnoException);
      return;
    }
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => {
      socket.destroy();
      resolve(null);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(UNREACHED.has(e.code ?? '') ? null : e));
  });
  if (err !== null) throw new RunFailedError('E_TLS_HANDSHAKE', describeTlsFailure(target, t, err), { cause: err });
}

/** What a handshake failure says, by its code: one table for the reason given and for whether waiting could clear it. */
const FAILURE: Record<string, 'untrusted' | 'name' | 'validity' | 'not-tls' | 'files'> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name',
  CERT_HAS_EXPIRED: 'validity',
  CERT_NOT_YET_VALID: 'validity',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not-tls',
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'files',
  ERR_OSSL_PEM_NO_START_LINE: 'files',
};

/**
 * Whether `err` is a TLS failure no retry will clear (the readiness poll stops at the first): what
 * the service's certificate says, or a port that speaks no TLS.
 */
export function isLastingTlsFailure(err: NodeJS.ErrnoException): boolean {
  const kind = FAILURE[err.code ?? ''];
  return kind !== undefined && kind !== 'files';
}

/** The reason a handshake failed and the fix, in the user's terms (the scenario's target.tls fields). */
export function describeTlsFailure(target: string, t: Tls, err: NodeJS.ErrnoException): string {
  const code = err.code ?? 'ERR';
  const why = `${code}: ${err.message}`;
  const name = t.servername ?? new URL(target).hostname;
  switch (FAILURE[code]) {
    case 'untrusted':
      return `the certificate of ${target} is not trusted (${why}); for a self-signed test service set target.tls.insecure: true, or give the CA that signed it with target.tls.ca${t.ca.length > 0 ? ` (the CA file${t.ca.length > 1 ? 's' : ''} given, ${t.ca.join(', ')}, did not sign it)` : ''}`;
    case 'name':
      return `the certificate of ${target} is not for ${name} (${why}); set target.tls.servername to a name the certificate carries, or target.tls.insecure: true for a test service`;
    case 'validity':
      return `the certificate of ${target} is outside its validity period (${why}); renew it, or set target.tls.insecure: true for a test service`;
    case 'not-tls':
      return `${target} does not speak TLS on that port (${why}); if it serves plain HTTP, use an http:// target`;
    case 'files':
      return `target.tls.cert / key / ca could not be used (${why}); give PEM files, and the private key that belongs to the client certificate`;
    default:
      return `the TLS handshake with ${target} failed (${why}); check target.tls (ca, insecure, cert, key, servername) against what the service serves`;
  }
}
