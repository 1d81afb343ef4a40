import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ValidationError } from './errors.ts';
import { validateScenario } from './validate-scenario.ts';

// A scenario folder with PEM files beside it: paths in target.tls are relative to the scenario file.
const dir = mkdtempSync(join(tmpdir(), 'headroom-tls-'));
mkdirSync(join(dir, 'certs'));
for (const f of ['certs/ca.pem', 'certs/client.pem', 'certs/client-key.pem']) writeFileSync(join(dir, f), 'PEM\n');
const file = join(dir, 'scenario.ts');

const base = {
  name: 'tls',
  requests: [{ path: '/' }],
  phases: [{ name: 'steady', duration: '5s', rate: 100 }],
};

function issues(target: unknown, extra: Record<string, unknown> = {}): { path: string; message: string; hint?: string }[] {
  try {
    validateScenario({ ...base, target, ...extra }, { file, cpuCount: 2 });
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('target', () => {
  it('a plain http:// string resolves as before, with no TLS', () => {
    const s = validateScenario({ ...base, target: 'http://127.0.0.1:3000/' }, { file, cpuCount: 2 });
    expect(s.target).toBe('http://127.0.0.1:3000');
    expect(s.tls).toBeNull();
  });

  it('an https:// string gets the TLS defaults: verify against the bundled roots, resume sessions', () => {
    const s = validateScenario({ ...base, target: 'https://127.0.0.1:8443' }, { file, cpuCount: 2 });
    expect(s.tls).toEqual({ ca: [], insecure: false, cert: null, key: null, servername: null, resume: true, groups: null });
  });

  it('resolves every TLS file against the scenario file folder', () => {
    const s = validateScenario(
      {
        ...base,
        target: {
          url: 'https://[::1]:8443',
          tls: {
            ca: './certs/ca.pem',
            cert: 'certs/client.pem',
            key: 'certs/client-key.pem',
            servername: 'api.local',
            resume: false,
            groups: 'X25519:P-256',
          },
        },
      },
      { file, cpuCount: 2 },
    );
    expect(s.target).toBe('https://[::1]:8443');
    expect(s.tls).toEqual({
      ca: [join(dir, 'certs/ca.pem')],
      insecure: false,
      cert: join(dir, 'certs/client.pem'),
      key: join(dir, 'certs/client-key.pem'),
      servername: 'api.local',
      resume: false,
      groups: 'X25519:P-256',
    });
  });

  it('a missing CA file is a validation error (exit 2) naming the file and where it was looked for', () => {
    let err: unknown;
    try {
      validateScenario(
        { ...base, target: { url: 'https://127.0.0.1:8443', tls: { ca: ['certs/ca.pem', './nope.pem'] } } },
        { file, cpuCount: 2 },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.exitCode).toBe(2);
    expect(ERROR_CODES[v.code].exit).toBe(2);
    expect(v.issues).toEqual([
      {
        path: 'target.tls.ca[1]',
        message: `file ./nope.pem does not exist (looked for ${join(dir, 'nope.pem')})`,
        hint: 'paths are relative to the scenario file',
      },
    ]);
  });

  it('reports every TLS problem at once, each with its path', () => {
    const found = issues({
      url: 'https://127.0.0.1:8443',
      tls: { cert: 'certs/client.pem', servername: '10.0.0.1', insecure: 'yes', sni: 'x', ca: 'certs', groups: 'X25519 P-256' },
    });
    expect(found.map((i) => i.path).sort()).toEqual(
      ['target.tls.ca', 'target.tls.groups', 'target.tls.insecure', 'target.tls.key', 'target.tls.servername', 'target.tls.sni'].sort(),
    );
    expect(found.find((i) => i.path === 'target.tls.key')?.message).toBe('mutual TLS needs both cert and key');
    expect(found.find((i) => i.path === 'target.tls.ca')?.message).toContain('is not a file');
  });

  it('refuses TLS options on http://, other protocols, unknown target fields, and the autocannon engine with https', () => {
    expect(issues({ url: 'http://127.0.0.1:3000', tls: { insecure: true } })).toEqual([
      { path: 'target.tls', message: 'TLS options need an https:// target', hint: 'write https://127.0.0.1:3000' },
    ]);
    expect(issues('ftp://127.0.0.1')[0]?.message).toBe('protocol ftp: is not supported');
    expect(issues({ url: 'https://127.0.0.1:1', host: 'x' }).map((i) => i.path)).toEqual(['target.host']);
    expect(issues({ tls: {} }).map((i) => i.path)).toEqual(['target.url']);
    expect(issues('https://127.0.0.1:1', { workers: { engine: 'autocannon' } }).map((i) => i.path)).toEqual(['workers.engine']);
  });
});
