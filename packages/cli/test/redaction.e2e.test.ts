import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = [
  'PLANTEDdbpass1',
  'PLANTEDenvtoken2',
  'PLANTEDquery3',
  'PLANTEDauth4',
  'PLANTEDtenant5',
  'PLANTEDbody6',
  'PLANTEDssn7',
  'PLANTEDsig8',
];
const TABLES = ['runs', 'phases', 'series', 'gates', 'profiles', 'profile_functions', 'spans', 'trace_samples'];

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets stay out of the store (end to end, planted secrets)', () => {
  it('URL passwords, env vars, query params, headers, JSON body fields and the redact list never reach DuckDB, results/ or any output', async () => {
    const results = join(dir, 'results');
    const db = join(results, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'secrets',
      `{
      name: 'secrets',
      ${ordersService(port, ', capture: { cpu: true, traces: { sample: 1 } }').replace(`env: { PORT: '${port}' }`, `env: { PORT: '${port}', DATABASE_URL: 'postgres://app:${SECRETS[0]}@db/x', API_TOKEN: '${SECRETS[1]}' }`)},
      target: 'http://127.0.0.1:${port}',
      requests: [
        { path: '/orders?limit=1&token=${SECRETS[2]}&sig=${SECRETS[7]}', headers: { Authorization: 'Bearer ${SECRETS[3]}', 'X-Tenant': '${SECRETS[4]}' } },
        { method: 'POST', path: '/orders', json: { sku: 'a1', qty: 1, password: '${SECRETS[5]}', ssn: '${SECRETS[6]}' } },
      ],
      redact: ['X-Tenant', 'ssn'],
      workers: { cpus: [1] }, trace: { sample: 1 },
      phases: [{ name: 'steady', duration: '2s', rate: 100 }],
    }`,
    );
    const run = await headroom(['run', file, '--json', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    const { runId } = JSON.parse(run.stdout);
    const outputs = [run.stdout, run.stderr];
    for (const args of [
      ['runs', 'show', runId, '--json'],
      ['runs', 'show', runId],
      ['traces', 'slow', runId, '--limit', '50'],
      ['runs', 'sql', 'select * from spans limit 200', '--json'],
    ]) {
      const r = await headroom([...args, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    // The data the secrets travelled with did arrive (so their absence means redaction, not loss).
    const [counts] = await query<{ spans: number; samples: number }>(
      db,
      `SELECT (SELECT count(*) FROM spans WHERE run_id = '${runId}') AS spans, (SELECT count(*) FROM trace_samples WHERE run_id = '${runId}') AS samples`,
    );
    expect(counts?.spans).toBeGreaterThan(50);
    expect(counts?.samples).toBeGreaterThan(50);
    const [cfg] = await query<{ config: string }>(db, `SELECT config FROM runs WHERE id = '${runId}'`);
    expect(cfg?.config).toContain('postgres://app:[redacted]@db/x');
    expect(cfg?.config).toContain('token=[redacted]');
    // Every value of every table, as text.
    for (const t of TABLES)
      outputs.push(
        JSON.stringify(await query(db, `SELECT * FROM ${t}`), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)),
      );
    // Every file under results/: the DuckDB file itself, its spools, the run's artifacts (profiles).
    const files = filesUnder(results);
    expect(files.some((f) => f.endsWith('.pb.gz'))).toBe(true);
    const haystack = [...outputs, ...files.map((f) => readFileSync(f).toString('latin1'))].join('\n');
    for (const s of SECRETS) expect(haystack.includes(s), s).toBe(false);
  }, 60_000);
});
