/**
 * One readiness request to `service.ready`: fetch for http://, node:https with the target's
 * TLS options for https:// (fetch cannot take a CA file, a client certificate or `insecure`).
 */
import https from 'node:https';
import type { Tls } from '@headroom/core';
import { tlsOptions } from '@headroom/load';

/** GETs `url` with a 1 s timeout; resolves the status, rejects with the transport error. */
export async function probeReady(url: string, tls: Tls | null): Promise<number> {
  if (!url.startsWith('https:')) {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  }
  const options = tls === null ? {} : tlsOptions(tls);
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...options, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 1s')));
    req.on('error', reject);
  });
}
