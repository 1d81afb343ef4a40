import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';

describe('capture through headroom run (end to end)', () => {
  it('stores a decodable profile whose top functions include the heavy route, and joins generator and server spans', async () => {
    // A 4 s phase at the 49 Hz default holds ~200 wall samples, too few to be sure one lands in the
    // heavy route (it missed once); the scenario asks for 100 Hz, which also exercises cpu: { hz }.
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'cap',
      `{
      name: 'cap-e2e',
      ${ordersService(port, ', capture: { cpu: { hz: 100 }, heap: true, traces: { sample: 0.05 } }')},
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/orders?limit=10', weight: 3 }, { name: 'report', path: '/report', weight: 2 }],
      workers: { cpus: [1] },
      trace: { sample: 0.1 },
      phases: [{ name: 'warmup', duration: '1s', connections: 2 }, { name: 'steady', duration: '4s', rate: 300 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout);

    // Profiles: only the measured phase, as gzipped pprof files on disk.
    const profiles = await query<{ phase: string; type: string; path: string }>(
      db,
      `SELECT phase, type, path FROM profiles WHERE run_id = '${runId}'`,
    );
    expect(new Set(profiles.map((p) => p.phase))).toEqual(new Set(['steady']));
    expect(profiles.map((p) => p.type)).toEqual(expect.arrayContaining(['cpu', 'wall']));
    const cpuPath = profiles.find((p) => p.type === 'cpu')?.path as string;
    expect(existsSync(cpuPath)).toBe(true);
    expect(gunzipSync(readFileSync(cpuPath)).length).toBeGreaterThan(100);

    const top = await headroom(['profile', 'top', runId, '--phase', 'steady', '--type', 'wall', '--limit', '60', '--json', '--db', db]);
    expect(top.code, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout).rows.map((x: { function: string }) => x.function)).toContain('buildSalesReport');

    const exported = join(dir, 'steady.pb.gz');
    const ex = await headroom(['profile', 'export', runId, '--phase', 'steady', '--format', 'pprof', '-o', exported, '--db', db]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(readFileSync(exported).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    // The generator's sampled requests join the service's server spans by trace id.
    const joined = await query<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM trace_samples t JOIN spans s
      ON s.trace_id = t.trace_id AND s.run_id = t.run_id AND s.parent_span_id = t.span_id WHERE t.run_id = '${runId}' AND s.kind = 'server'`,
    );
    expect(joined[0]?.n).toBeGreaterThan(20);
    const slow = await headroom(['traces', 'slow', runId, '--limit', '3', '--json', '--db', db]);
    expect(slow.code, slow.stderr).toBe(0);
    const traces = JSON.parse(slow.stdout).traces as { latency_ms: number; spans: unknown[] }[];
    expect(traces).toHaveLength(3);
    expect(traces[0]?.spans.length).toBeGreaterThan(0);

    // Runtime metrics of the service land in the per-second series.
    const rt = await query<{ n: number }>(db, `SELECT count(*) AS n FROM series WHERE run_id = '${runId}' AND sut_rss_mb > 0`);
    expect(rt[0]?.n).toBeGreaterThanOrEqual(3);
  });
});
