/**
 * `headroom k8s` end to end, as DESIGN.md asks scale-out to be proven here: the Indexed Job it
 * prints is run as local processes, one per completion index, each with the container's own
 * args (the index expanded as the downward API would, /results on a temp folder), against one
 * real HTTP server; `headroom merge` then makes one run of their stores, and the server's own
 * count says whether the segments together sent exactly the scenario's schedule.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OkServer, headroom, okServer, query, tempDir, writeScenario } from './helpers.ts';

let server: OkServer;
let port = 0;

beforeAll(async () => {
  server = await okServer();
  port = server.port;
});
afterAll(() => server.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('headroom k8s (the Job run as local processes) and headroom merge', () => {
  it('three segments send exactly the whole schedule, and merge makes them one run with its gates', async () => {
    const dir = tempDir();
    writeScenario(
      dir,
      'k8s-seg',
      `{ name: 'k8s-seg', target: 'http://127.0.0.1:${port}', requests: [{ method: 'GET', path: '/' }],
         workers: { cpus: [1] }, phases: [{ name: 'steady', duration: '3s', rate: 100 }], trace: { sample: 0.2 },
         thresholds: { 'steady.p99': '< 2s', 'steady.rate': '>= 1000' } }`,
    );
    const k = await headroom(['k8s', 'k8s-seg.ts', '--segments', '3', '--image', 'example/load:1', '--start-in', '10s', '--json'], {
      cwd: dir,
    });
    expect(k.code, k.stderr).toBe(0);
    const job = JSON.parse(k.stdout) as Json;
    expect(job['spec']).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const container = job['spec']['template']['spec']['containers'][0] as Json;
    expect(container['command']).toEqual(['npx', '--no-install', 'headroom']);
    const startAt = container['args'][container['args'].indexOf('--start-at') + 1] as string;

    const results = join(dir, 'results-volume');
    mkdirSync(join(results, job['metadata']['name'] as string), { recursive: true });
    const argsOf = (i: number) =>
      (container['args'] as string[]).map((a) =>
        a.replaceAll('$(HEADROOM_SEGMENT_INDEX)', String(i)).replace(/^\/results\//, `${results}/`),
      );
    const before = server.served();
    const segments = await Promise.all([0, 1, 2].map((i) => headroom([...argsOf(i), '--json'], { cwd: dir })));
    for (const s of segments) expect(s.code, s.stderr).toBe(0);
    expect(server.served() - before).toBe(300);

    const stores = [0, 1, 2].map((i) => argsOf(i)[argsOf(i).indexOf('--db') + 1] as string);
    let traced = 0;
    for (const [i, db] of stores.entries()) {
      traced += Number((await query<{ n: bigint }>(db, 'SELECT count(*) AS n FROM trace_samples'))[0]!.n);
      const [run] = await query<{ config: string }>(db, 'SELECT config FROM runs');
      expect(JSON.parse(run!.config).segment).toMatchObject({ index: i, count: 3 });
      const [phase] = await query<{ started_at: Date; requests: bigint }>(
        db,
        "SELECT started_at, requests FROM phases WHERE phase = 'steady'",
      );
      expect(Math.abs(new Date(phase!.started_at).getTime() - Date.parse(startAt))).toBeLessThan(50);
      expect(Number(phase!.requests)).toBe(100);
    }

    const merged = join(dir, 'merged.duckdb');
    const m = await headroom(['merge', ...stores, '--db', merged, '--json'], { cwd: dir });
    // steady.rate >= 1000 cannot pass at 100 req/s: the merged run's gates are decided, exit 1.
    expect(m.code, m.stderr).toBe(1);
    const [run] = await query<{ id: string; config: string; status: string }>(merged, 'SELECT id, config, status FROM runs');
    expect(run!.status).toBe('completed');
    expect(JSON.parse(run!.config).segments).toMatchObject({ count: 3 });
    const [phase] = await query<{ requests: bigint }>(
      merged,
      `SELECT requests FROM phases WHERE run_id = '${run!.id}' AND phase = 'steady'`,
    );
    expect(Number(phase!.requests)).toBe(300);
    const gates = await query<{ expression: string; passed: boolean }>(
      merged,
      `SELECT expression, passed FROM gates WHERE run_id = '${run!.id}' ORDER BY expression`,
    );
    expect(gates.map((g) => g.passed)).toEqual([true, false]);
    // Every segment's traced requests are the merged run's: traces slow lists them.
    expect(traced).toBeGreaterThan(20);
    const [mergedTraced] = await query<{ n: bigint }>(merged, `SELECT count(*) AS n FROM trace_samples WHERE run_id = '${run!.id}'`);
    expect(Number(mergedTraced!.n)).toBe(traced);
    const slow = await headroom(['traces', 'slow', run!.id, '--db', merged]);
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout).toMatch(/^1\. +[\d.]+ms +GET \/ +phase steady +status 200 +trace [0-9a-f]{32}/m);
    // The merged run reads like any other: no service block, the workers' CPUs as taskset writes them.
    const shown = await headroom(['runs', 'show', run!.id, '--db', merged]);
    expect(shown.stdout).toMatch(/service CPUs -  worker CPUs 1\n/);
    expect(shown.stdout).toMatch(/steady +100\/s +\d+\/s +300 /);
  }, 60_000);

  it('refuses a scenario that starts its own service, and a path outside the project', async () => {
    const dir = tempDir();
    writeScenario(
      dir,
      'k8s-svc',
      `{ name: 'k8s-svc', service: { command: ['node', '-e', ''], ready: 'http://127.0.0.1:9/' }, target: 'http://127.0.0.1:9',
         requests: [{ method: 'GET', path: '/' }], phases: [{ name: 'steady', duration: '3s', rate: 100 }] }`,
    );
    const svc = await headroom(['k8s', 'k8s-svc.ts', '--segments', '2', '--image', 'x'], { cwd: dir });
    expect(svc.code).toBe(2);
    expect(svc.stderr).toMatch(/service/);
    const outside = await headroom(['k8s', join(dir, 'k8s-svc.ts'), '--segments', '2', '--image', 'x']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is outside this folder');
    // --start-at is checked as headroom run checks it, so no pod is refused after the Job is applied.
    writeScenario(
      dir,
      'k8s-ok',
      `{ name: 'k8s-ok', target: 'http://127.0.0.1:9', requests: [{ method: 'GET', path: '/' }], phases: [{ name: 'steady', duration: '3s', rate: 100 }] }`,
    );
    const zoneless = await headroom(['k8s', 'k8s-ok.ts', '--segments', '2', '--image', 'x', '--start-at', '2030-01-01T10:00:00'], {
      cwd: dir,
    });
    expect(zoneless.code).toBe(2);
    expect(zoneless.stderr).toContain('headroom k8s: --start-at 2030-01-01T10:00:00: give its time zone, 2030-01-01T10:00:00Z for UTC');
    const missing = await headroom(['k8s', 'k8s-svc.ts', '--segments', '2'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--image is required');
    // Values the API server would refuse (or a pod could not live with) are refused here, each with its fix.
    const bad = await headroom(
      [
        'k8s',
        'k8s-ok.ts',
        '--segments',
        '2',
        '--image',
        'x\ny: z',
        '--memory',
        '512',
        '--namespace',
        'Bad NS',
        '--results-claim',
        'a b',
        '--workdir',
        'app',
      ],
      { cwd: dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('headroom k8s: 5 problems');
    for (const part of [
      '--image "x\\ny: z" is not an image reference',
      '--memory 512 is under 128Mi',
      '--namespace "Bad NS"',
      '--results-claim "a b"',
      '--workdir "app" must be an absolute path',
    ])
      expect(bad.stderr).toContain(part);
    expect(bad.stdout).toBe('');
  }, 30_000);
});
