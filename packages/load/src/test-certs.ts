/**
 * Certificates for the HTTPS tests and benchmark, made at test time by the system's
 * openssl (Debian's `openssl` package): a CA, a server certificate it signed for
 * localhost / api.local / 127.0.0.1 / ::1, a client certificate it signed (mutual TLS), and
 * an unrelated self-signed server certificate. Nothing is checked in, nothing expires
 * between runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Absolute paths of the PEM files. */
export interface TestCertificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A self-signed server certificate (CN localhost) that no CA vouches for. */
  selfSignedCert: string;
  selfSignedKey: string;
}

export interface TestCertificatesOptions {
  /** Folder to write into. @default a new temp folder */
  dir?: string;
  /** Key type: 'ec' (P-256, fast to make) or 'rsa' (2048 bits, what most services still serve). @default 'ec' */
  key?: 'ec' | 'rsa';
}

/** Makes the certificates with openssl; throws when openssl is missing (apt-get install -y openssl). */
export function makeTestCertificates(options: TestCertificatesOptions = {}): TestCertificates {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'headroom-certs-'));
  const f = (name: string): string => join(dir, name);
  const newKey = options.key === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-nodes',
    '-keyout',
    f('ca-key.pem'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=headroom test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const signed = (name: string, cn: string, ext: string): void => {
    writeFileSync(f(`${name}.ext`), ext);
    openssl('req', '-new', ...newKey, '-nodes', '-keyout', f(`${name}-key.pem`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca-key.pem'),
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      f(`${name}.pem`),
      '-extfile',
      f(`${name}.ext`),
    );
  };
  signed('server', 'localhost', 'subjectAltName=DNS:localhost,DNS:api.local,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'headroom-client', 'extendedKeyUsage=clientAuth\n');
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-nodes',
    '-keyout',
    f('selfsigned-key.pem'),
    '-out',
    f('selfsigned.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  );
  return {
    dir,
    ca: f('ca.pem'),
    serverCert: f('server.pem'),
    serverKey: f('server-key.pem'),
    clientCert: f('client.pem'),
    clientKey: f('client-key.pem'),
    selfSignedCert: f('selfsigned.pem'),
    selfSignedKey: f('selfsigned-key.pem'),
  };
}
