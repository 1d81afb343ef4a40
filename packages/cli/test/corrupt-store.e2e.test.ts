import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '@headroom/store';
import { headroom, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a corrupt store is reported as such, with what to do (end to end)', () => {
  it('a damaged data block: every command says the file is corrupt and how to recover, exit 2, nothing started', async () => {
    const db = join(dir, 'h.duckdb');
    const store = await Store.open(db);
    await store.upsert(
      'runs',
      Array.from({ length: 2000 }, (_, i) => ({
        id: `r${i}`,
        kind: 'load',
        scenario: `scenario-${i}`.padEnd(80, 'x'),
        status: 'completed',
        started_at: Date.now(),
      })),
    );
    store.close();
    // Overwrite the start (checksum and first bytes) of every 256 KiB block after the first (DuckDB's
    // layout: three 4 KiB headers, then blocks), so whatever a command reads no longer matches its checksum.
    const fd = openSync(db, 'r+');
    for (let at = 12288 + 262144; at < statSync(db).size; at += 262144) writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, at);
    closeSync(fd);
    const file = writeScenario(
      dir,
      's',
      `{ name: 's', target: 'http://127.0.0.1:9', requests: [{ path: '/' }], workers: { cpus: [1] }, phases: [{ name: 'p', duration: '1s', rate: 1 }] }`,
    );
    for (const args of [
      ['runs', 'ls'],
      ['runs', 'sql', 'select count(*) from runs'],
      ['run', file],
    ]) {
      const r = await headroom([...args, '--json', '--db', db]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(/unexpected error/);
      expect(r.stderr).toContain(`${db} is corrupt and cannot be read`);
      expect(r.stderr).toMatch(/Restore it from a backup, or move it aside \(mv .*h\.duckdb .*h\.duckdb\.corrupt\) and start a new store/);
      expect(JSON.parse(r.stdout).error.code).toBe('E_STORE_CORRUPT');
    }
  });
});
