import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '@headroom/load/test-certs';
import { freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
const db = join(dir, 'h.duckdb');
let certs: TestCertificates;
const servers: https.Server[] = [];

/** A real node:https server on 127.0.0.1 serving `cert`; resolves its port. */
function serve(cert: string, key: string): Promise<number> {
  const server = https.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (_q, res) => res.end('ok'));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

beforeAll(() => {
  certs = makeTestCertificates();
  // Beside the scenario files, so target.tls names them relative to the scenario.
  cpSync(certs.ca, join(dir, 'ca.pem'));
});
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

const scenario = (name: string, target: string): string =>
  writeScenario(
    dir,
    name,
    `{ name: '${name}', target: ${target}, requests: [{ path: '/' }], workers: { cpus: [1] },
       phases: [{ name: 'steady', duration: '1s', rate: 100 }] }`,
  );

/**
 * A node:https server that closes every connection after its response, so each request connects
 * anew, and after `after` handshakes presents a self-signed certificate (with new ticket keys,
 * so no session resumes past the switch): a certificate rotated to one the scenario does not trust.
 */
async function rotatingServer(after: number): Promise<{ port: number; served: () => number }> {
  let handshakes = 0;
  let served = 0;
  const server = https.createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (_q, res) => {
    served++;
    res.setHeader('connection', 'close');
    res.end('ok');
  });
  server.on('secureConnection', () => {
    if (++handshakes === after)
      server.setSecureContext({
        cert: readFileSync(certs.selfSignedCert),
        key: readFileSync(certs.selfSignedKey),
        ticketKeys: randomBytes(48),
      });
  });
  servers.push(server);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  return { port, served: () => served };
}

/**
 * Runs `file` and checks what landed in the store: the phase's errors are all of kind tls, its
 * names' tls errors add up to them, and the run's warnings keep the reason. Returns the phase's counts.
 */
async function runTlsFailures(file: string): Promise<{ runId: string; requests: number; errors: number }> {
  const r = await headroom(['run', file, '--json', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  const id = JSON.parse(r.stdout).runId as string;
  const [phase] = await query<{ requests: bigint; errors: bigint; errors_by_kind: string }>(
    db,
    `SELECT requests, errors, errors_by_kind FROM phases WHERE run_id = '${id}' AND phase = 'steady'`,
  );
  const kinds = JSON.parse(phase!.errors_by_kind) as Record<string, number>;
  expect(Object.keys(kinds)).toEqual(['tls']);
  expect(kinds['tls']).toBe(Number(phase!.errors));
  const named = await query<{ errors_by_kind: string }>(db, `SELECT errors_by_kind FROM phase_requests WHERE run_id = '${id}'`);
  expect(named.reduce((s, n) => s + ((JSON.parse(n.errors_by_kind) as Record<string, number>)['tls'] ?? 0), 0)).toBe(kinds['tls']);
  const [run] = await query<{ warnings: string }>(db, `SELECT warnings FROM runs WHERE id = '${id}'`);
  expect(JSON.parse(run!.warnings)).toContainEqual(
    expect.stringMatching(
      /TLS with https:\/\/127\.0\.0\.1:\d+ failed in steady \((home|other)\): DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate.*kind "tls"/,
    ),
  );
  return { runId: id, requests: Number(phase!.requests), errors: Number(phase!.errors) };
}

describe('https targets end to end (real CLI, node:https servers, openssl certificates)', () => {
  it('a CA-signed service verified with target.tls.ca: the run completes and every request is ok', async () => {
    const port = await serve(certs.serverCert, certs.serverKey);
    const file = scenario('https-ok', `{ url: 'https://127.0.0.1:${port}', tls: { ca: './ca.pem' } }`);
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
    expect(steady.requests).toBe(100);
    expect(steady.errors).toBe(0);
    // The stored config keeps the resolved TLS options (file paths, never their contents).
    const [run] = await query<{ config: string }>(db, `SELECT config FROM runs WHERE id = '${out.runId}'`);
    expect(JSON.parse(run!.config).tls).toMatchObject({ ca: [join(dir, 'ca.pem')], insecure: false });
  }, 30_000);

  it('a self-signed service without insecure: exit 3 before load, naming the reason and both fixes', async () => {
    const port = await serve(certs.selfSignedCert, certs.selfSignedKey);
    const r = await headroom(['run', scenario('https-selfsigned', `'https://127.0.0.1:${port}'`), '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('failed');
    expect(out.error).toMatch(/is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(out.error).toContain('target.tls.insecure: true');
    expect(out.error).toContain('target.tls.ca');
    expect(out.phases).toEqual([]);
  }, 30_000);

  it('a service block serving only HTTPS: ready is polled over TLS with target.tls, and the run completes', async () => {
    const server = join(dir, 'https-server.mjs');
    writeFileSync(
      server,
      `import https from 'node:https'; import { readFileSync } from 'node:fs';
       https.createServer({ cert: readFileSync(process.env.CERT), key: readFileSync(process.env.KEY) }, (q, r) => r.end('ok'))
         .listen(Number(process.env.PORT), '127.0.0.1');`,
    );
    const port = await freePort();
    const file = writeScenario(
      dir,
      'https-service',
      `{ name: 'https-service',
         service: { command: ['node', ${JSON.stringify(server)}], env: { PORT: '${port}', CERT: ${JSON.stringify(certs.serverCert)}, KEY: ${JSON.stringify(certs.serverKey)} },
                    ready: 'https://127.0.0.1:${port}/health', cpus: [0] },
         target: { url: 'https://127.0.0.1:${port}', tls: { ca: './ca.pem' } }, requests: [{ path: '/' }], workers: { cpus: [1] },
         phases: [{ name: 'steady', duration: '1s', rate: 100 }] }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const steady = JSON.parse(r.stdout).phases.find((p: { phase: string }) => p.phase === 'steady');
    expect(steady).toMatchObject({ requests: 100, errors: 0 });
  }, 30_000);

  it('a service whose certificate the target options reject: E_TLS_HANDSHAKE at the first readiness probe, not after readyTimeout', async () => {
    const server = join(dir, 'https-server.mjs'); // written by the test above
    const port = await freePort();
    const file = writeScenario(
      dir,
      'https-service-wrong-name',
      `{ name: 'https-service-wrong-name',
         service: { command: ['node', ${JSON.stringify(server)}], env: { PORT: '${port}', CERT: ${JSON.stringify(certs.serverCert)}, KEY: ${JSON.stringify(certs.serverKey)} },
                    ready: 'https://127.0.0.1:${port}/health', readyTimeout: '20s', cpus: [0] },
         target: { url: 'https://127.0.0.1:${port}', tls: { ca: './ca.pem', servername: 'other.local' } }, requests: [{ path: '/' }], workers: { cpus: [1] },
         phases: [{ name: 'steady', duration: '1s', rate: 100 }] }`,
    );
    const t0 = Date.now();
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(3);
    expect(Date.now() - t0).toBeLessThan(15_000); // the 20 s readyTimeout was not waited out
    const out = JSON.parse(r.stdout);
    expect(out.error).toMatch(/certificate of https:\/\/127\.0\.0\.1:\d+\/health is not for other\.local/);
    expect(out.error).toContain('target.tls.servername');
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${out.runId}'`);
    expect(run?.status).toBe('failed');
  }, 30_000);

  it('a certificate that stops being trusted mid-run: the reconnects fail with kind tls, and the reason is stored', async () => {
    const server = await rotatingServer(30);
    const file = writeScenario(
      dir,
      'https-rotated',
      `{ name: 'https-rotated', target: { url: 'https://127.0.0.1:${server.port}', tls: { ca: './ca.pem' } },
         requests: [{ name: 'home', path: '/' }, { name: 'other', path: '/other' }], workers: { cpus: [1] },
         phases: [{ name: 'steady', duration: '2s', rate: 100, connections: 4 }] }`,
    );
    const stored = await runTlsFailures(file);
    // The connections before the switch each carried one request (the preflight's handshake may
    // not count as one on the server's side); every request after it failed its handshake.
    expect(server.served()).toBeGreaterThanOrEqual(29);
    expect(server.served()).toBeLessThanOrEqual(30);
    expect(stored.requests).toBe(200);
    expect(stored.errors).toBe(200 - server.served());
  }, 30_000);

  it('the same in a flow: its requests fail with kind tls, and the reason is stored', async () => {
    const server = await rotatingServer(20);
    const file = writeScenario(
      dir,
      'https-rotated-flow',
      `{ name: 'https-rotated-flow', target: { url: 'https://127.0.0.1:${server.port}', tls: { ca: './ca.pem' } },
         flows: { visit: async (vu) => { await vu.get('/', { name: 'home' }); await vu.get('/other', { name: 'other' }); } },
         workers: { cpus: [1] }, phases: [{ name: 'steady', duration: '1s', rate: 50, connections: 2 }] }`,
    );
    const stored = await runTlsFailures(file);
    // 50 iterations of two requests each; an iteration that found both VUs busy (a failing handshake can take
    // them longer than its 20 ms slot) is dropped whole and counted as dropped, as k6 counts dropped_iterations.
    const [flow] = await query<{ iterations: bigint; dropped: bigint }>(
      db,
      `SELECT iterations, dropped FROM phase_flows WHERE run_id = '${stored.runId}' AND phase = 'steady'`,
    );
    expect(Number(flow!.iterations) + Number(flow!.dropped)).toBe(50);
    expect(Number(flow!.dropped)).toBeLessThanOrEqual(5);
    expect(stored.requests).toBe(2 * Number(flow!.iterations));
    expect(stored.errors).toBe(stored.requests - server.served());
  }, 30_000);

  it('a missing CA file: exit 2 at validation, naming the file', async () => {
    const r = await headroom([
      'run',
      scenario('https-noca', `{ url: 'https://127.0.0.1:9', tls: { ca: './missing-ca.pem' } }`),
      '--db',
      db,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`target.tls.ca: file ./missing-ca.pem does not exist (looked for ${join(dir, 'missing-ca.pem')})`);
  }, 30_000);
});
