/**
 * `headroom run --segment i/n --start-at <time>` end to end: two segments run as separate
 * processes at once against one real HTTP server, as the pods of a Kubernetes Indexed Job
 * would, each into its own store; the server's own count says whether together they sent
 * exactly the scenario's open schedule. Also the refusals, and Ctrl-C while a run waits.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OkServer, alive, headroom, okServer, query, runPids, tempDir, writeScenario } from './helpers.ts';

let server: OkServer;
let port = 0;

beforeAll(async () => {
  server = await okServer();
  port = server.port;
});
afterAll(() => server.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A scenario loading the test's server: 100 req/s for 3 s (even arrivals), then 2 closed-model connections for 1 s. */
function segmentScenario(dir: string, extra = ''): string {
  return writeScenario(
    dir,
    'seg',
    `{ name: 'seg', target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
       phases: [{ name: 'steady', duration: '3s', rate: 100 }, { name: 'closed', duration: '1s', connections: 2 }],
       thresholds: { 'steady.p99': '< 2s', 'steady.rate': '>= 100' } ${extra} }`,
  );
}

describe('headroom run --segment i/n --start-at', () => {
  it('two segments started together send exactly the whole schedule; each stores its share and which segment it is', async () => {
    const dir = tempDir();
    const file = segmentScenario(dir);
    const startAt = new Date(Date.now() + 4000).toISOString();
    const dbs = [join(dir, 'segment-0.duckdb'), join(dir, 'segment-1.duckdb')];
    const before = server.served();
    // Segment 0 prints JSON; segment 1 the terminal summary.
    const [s0, s1] = await Promise.all([
      headroom(['run', file, '--segment', '0/2', '--start-at', startAt, '--db', dbs[0]!, '--json']),
      headroom(['run', file, '--segment', '1/2', '--start-at', startAt, '--db', dbs[1]!]),
    ]);
    expect(s0.code, s0.stderr).toBe(0);
    expect(s1.code, s1.stderr).toBe(0);
    const sent = server.served() - before;

    const out = JSON.parse(s0.stdout) as Json;
    expect(out['status']).toBe('completed');
    expect(out['segment']).toEqual({ index: 0, count: 2, startAt, workers: 1 });
    // No gate decided on a share: thresholds are headroom merge's.
    expect(out['gates']).toEqual([]);
    const steady = (out['phases'] as Json[]).find((p) => p['phase'] === 'steady')!;
    expect(steady['offeredRate']).toBe(50);
    expect(s0.stderr).toContain(`segment 0/2: load starts at ${startAt}`);
    expect(s1.stdout).toContain(
      `segment 1/2 (1 worker, phase 0 at ${startAt}): its share of the load only; headroom merge decides the gates`,
    );
    expect(s1.stdout).not.toContain('thresholds');

    let stored = 0;
    let steadyStored = 0;
    for (const [i, db] of dbs.entries()) {
      const [run] = await query<{ config: string; status: string; gates: string | null }>(db, 'SELECT config, status, gates FROM runs');
      expect(run!.status).toBe('completed');
      expect(run!.gates).toBeNull();
      expect(JSON.parse(run!.config).segment).toEqual({ index: i, count: 2, startAt, workers: 1 });
      const phases = await query<{ phase: string; started_at: Date; requests: bigint; offered_rate: number | null }>(
        db,
        'SELECT phase, started_at, requests, offered_rate FROM phases WHERE phase = parent ORDER BY ordinal',
      );
      expect(phases.map((p) => p.phase)).toEqual(['steady', 'closed']);
      expect(Math.abs(new Date(phases[0]!.started_at).getTime() - Date.parse(startAt))).toBeLessThan(50);
      expect(phases[0]!.offered_rate).toBe(50);
      expect(await query(db, 'SELECT * FROM gates')).toHaveLength(0);
      steadyStored += Number(phases[0]!.requests);
      stored += phases.reduce((a, p) => a + Number(p.requests), 0);
    }
    // Global arrivals ≡ i (mod 2) each: 150 + 150, the whole 300 of the schedule, none twice.
    expect(steadyStored).toBe(300);
    // What the server received is what the stores counted: the 300 and the closed phase's requests.
    expect(sent).toBe(stored);
    expect(stored).toBeGreaterThan(300);
  });

  it('refuses, exit 2 before anything runs: what cannot be split, an index out of range, a start past or too far ahead', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const file = writeScenario(
      dir,
      'unsplittable',
      `{ name: 'unsplittable',
         service: { command: ['node', '-e', 'setInterval(() => {}, 1000)'], ready: 'http://127.0.0.1:${port}/', cpus: [0] },
         target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] }, slo: { p99: '50ms' },
         phases: [{ name: 'warm', duration: '1s', connections: 1 }, { name: 'capacity', rate: { from: 10, to: 30, step: 10 }, stepDuration: '1s', stopWhen: 'slo' }],
         thresholds: { 'capacity.p99': { threshold: '< 50ms', abortOnFail: true } } }`,
    );
    const r = await headroom(['run', file, '--segment', '0/2', '--db', db, '--json']);
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout).error as Json;
    expect(err['code']).toBe('E_VALIDATION');
    expect((err['issues'] as Json[]).map((i) => i['path'])).toEqual([
      'service',
      'phases[0].connections',
      'phases[1].stopWhen',
      'thresholds["capacity.p99"]',
    ]);
    expect(r.stderr).toContain('cannot run as --segment 0/2: 4 problems');
    expect(r.stderr).toContain('service: each of the 2 segments would start its own service, and segments must load one shared target');
    expect(r.stderr).toContain('phases[1].stopWhen: phase capacity: a breakpoint search cannot be split');

    const ok = segmentScenario(dir);
    const range = await headroom(['run', ok, '--segment', '2/2', '--db', db]);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain(
      "headroom run: --segment 2/2: the index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does: 0/2 and 1/2",
    );
    const past = new Date(Date.now() - 60_000).toISOString();
    const late = await headroom(['run', ok, '--segment', '0/2', '--start-at', past, '--db', db, '--json']);
    expect(late.code).toBe(2);
    expect(JSON.parse(late.stdout).error).toMatchObject({ code: 'E_START_PASSED' });
    expect(late.stderr).toMatch(/--start-at \S+: passed 1m 0\ds ago; pick a later time/);
    const far = await headroom(['run', ok, '--start-at', String(Date.now() + 25 * 3_600_000), '--db', db]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('more than 24h');
    expect(await query(db, 'SELECT * FROM runs')).toHaveLength(0);
  });

  it('Ctrl-C while a run waits for its --start-at: stored as interrupted, exit 130, no process left', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const file = segmentScenario(dir);
    const startAt = new Date(Date.now() + 60_000).toISOString();
    const before = server.served();
    const t0 = Date.now();
    const r = await headroom(['run', file, '--segment', '1/2', '--start-at', startAt, '--db', db, '--json'], {
      onSpawn: (child) =>
        child.stderr!.on('data', (d) => {
          if (String(d).includes('load starts at')) setTimeout(() => child.kill('SIGINT'), 1000);
        }),
    });
    expect(r.code, r.stderr).toBe(130);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const out = JSON.parse(r.stdout) as Json;
    expect(out['status']).toBe('interrupted');
    expect(out['segment']).toMatchObject({ index: 1, count: 2, startAt });
    const [run] = await query<{ id: string; status: string }>(db, 'SELECT id, status FROM runs');
    expect(run!.status).toBe('interrupted');
    const pids = await runPids(db, run!.id);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(server.served()).toBe(before);
  });
});
