import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBundle } from './bundle.ts';
import { RunSpool } from './spool/run-spool.ts';
import { Store } from './store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-bundle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const segmentRun = (id: string) => ({ id, kind: 'load', scenario: 's', status: 'running', started_at: Date.now(), config: '{}' });

/** A run left in the spool of the store at `db` by a headroom that was killed (its pid cannot exist: 2^22 + 1). */
async function killedRun(db: string, id: string, status: string): Promise<string> {
  (await Store.open(db)).close();
  const spool = RunSpool.create(db, segmentRun(id));
  await spool.upsert('series', [{ run_id: id, second: 0, requests: 10 }]);
  if (status !== 'running') spool.updateRun({ status, ended_at: Date.now() });
  writeFileSync(spool.path, readFileSync(spool.path, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194305'));
  return spool.path;
}

describe('openBundle', () => {
  it("folds in a killed segment's spool first, so its run is read (a pod killed right after its load ended)", async () => {
    const db = join(dir, 'seg-1.duckdb');
    const spool = await killedRun(db, 'seg-1', 'completed');
    const bundle = await openBundle(db);
    try {
      expect(await bundle.store.query('SELECT id, status FROM runs')).toEqual([{ id: 'seg-1', status: 'completed' }]);
    } finally {
      bundle.close();
    }
    expect(existsSync(spool)).toBe(false);
  });
});
