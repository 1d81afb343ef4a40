import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tls } from '@headroom/core';
import { makeTestCertificates, type TestCertificates } from '@headroom/load/test-certs';
import { checkTlsHandshake } from './tls-preflight.ts';

let certs: TestCertificates;
const servers: net.Server[] = [];
const listen = (s: net.Server): Promise<string> => {
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(s.address() as net.AddressInfo).port}`)));
};
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(certs.dir, { recursive: true, force: true });
});

const TLS: Tls = { ca: [], insecure: false, cert: null, key: null, servername: null, resume: true };
const failure = (target: string, t: Tls): Promise<string> =>
  checkTlsHandshake(target, t).then(
    () => 'passed',
    (err: Error & { code: string; exitCode: number }) => `${err.code} ${err.exitCode} ${err.message}`,
  );

describe('checkTlsHandshake (real servers)', () => {
  it('passes a trusted certificate, and leaves an unreachable target to the run', async () => {
    const url = await listen(https.createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }));
    expect(await failure(url, { ...TLS, ca: [certs.ca] })).toBe('passed');
    expect(await failure(url, { ...TLS, ca: [certs.ca], servername: 'api.local' })).toBe('passed');
    expect(await failure('https://127.0.0.1:9', TLS)).toBe('passed');
  });

  it('a name the certificate does not carry: exit 3 naming servername as the fix', async () => {
    const url = await listen(https.createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }));
    const msg = await failure(url, { ...TLS, ca: [certs.ca], servername: 'other.local' });
    expect(msg).toMatch(
      /^E_TLS_HANDSHAKE 3 the certificate of https:\/\/127\.0\.0\.1:\d+ is not for other\.local \(ERR_TLS_CERT_ALTNAME_INVALID/,
    );
    expect(msg).toContain('set target.tls.servername');
  });

  it('a CA that did not sign the certificate: names the CA file given', async () => {
    const url = await listen(https.createServer({ cert: readFileSync(certs.selfSignedCert), key: readFileSync(certs.selfSignedKey) }));
    const msg = await failure(url, { ...TLS, ca: [certs.ca] });
    expect(msg).toMatch(/is not trusted \(\w+: /);
    expect(msg).toContain(`the CA file given, ${certs.ca}, did not sign it`);
  });

  it('a plain-HTTP port given as https://: says to use http://', async () => {
    const url = await listen(http.createServer((_q, r) => r.end('ok')));
    const msg = await failure(url, TLS);
    expect(msg).toMatch(/does not speak TLS on that port \(ERR_SSL_WRONG_VERSION_NUMBER/);
    expect(msg).toContain('use an http:// target');
  });
});
