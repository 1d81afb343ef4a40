import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';
import { pidsMatching } from './processes.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad scenario values are refused before anything starts (end to end)', () => {
  it('CR/LF in path and header, timer overflow, timeout 0, fd limit, huge step plan: exit 2, every problem with its path, nothing started or stored', async () => {
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const marker = `never-started-${port}`;
    const file = writeScenario(
      dir,
      'bad',
      `{
      name: 'bad',
      service: { command: ['node', '-e', 'setTimeout(() => {}, 60000)', '${marker}'], ready: 'http://127.0.0.1:${port}/', cpus: [0] },
      target: 'http://127.0.0.1:${port}', timeout: '0ms',
      requests: [{ path: '/x\\r\\nX-Evil: 1' }, { path: '/y', headers: { 'X-Split': 'a\\r\\n\\r\\nGET /admin HTTP/1.1' } }],
      workers: { cpus: [1] },
      phases: [
        { name: 'soak', duration: '1000000h', rate: 10 },
        { name: 'fds', duration: '1s', connections: 2000000 },
        { name: 'steps', rate: { from: 1, to: 100000, step: 1 }, stepDuration: '1s' },
        { name: 'short', rate: { from: 100, to: 200, step: 50 }, stepDuration: '10ms' },
      ],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('E_VALIDATION');
    const paths = (error.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeout',
        'requests[0].path',
        'requests[1].headers["X-Split"]',
        'phases[0].duration',
        'phases[1].connections',
        'phases[2].rate',
        'phases[3].stepDuration',
      ]),
    );
    expect(r.stderr).toMatch(/CR\/LF would split the request/);
    expect(r.stderr).toMatch(/longer than timers can hold/);
    expect(pidsMatching(marker)).toEqual([]);
    // Nothing ran, so nothing is left: not the store this command created, nor its spool folder.
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(dir, '.h.duckdb.spool'))).toBe(false);
  });

  it('bad input to a command that would create the store leaves none behind; a store that was there stays', async () => {
    const fresh = join(dir, 'fresh', 'x.duckdb');
    const missing = await headroom(['bench', join(dir, 'nope.bench.ts'), '--db', fresh]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('nope.bench.ts');
    expect(existsSync(fresh)).toBe(false);
    // A store with runs in it is never removed for a refused command.
    const db = join(dir, 'kept.duckdb');
    const good = writeScenario(
      dir,
      'good',
      `{ name: 'good', target: 'http://127.0.0.1:${await freePort()}', requests: [{ path: '/' }], workers: { cpus: [1] }, phases: [{ name: 'p', duration: '1s', rate: 5 }] }`,
    );
    await headroom(['run', good, '--db', db]); // refused connections: a failed run, stored
    const before = await query<{ id: string }>(db, 'SELECT id FROM runs');
    expect(before).toHaveLength(1);
    const bad = writeScenario(dir, 'bad2', `{ name: 'bad2', target: 'http://127.0.0.1:1', requests: [], phases: [] }`);
    expect((await headroom(['run', bad, '--db', db])).code).toBe(2);
    expect(await query<{ id: string }>(db, 'SELECT id FROM runs')).toEqual(before);
    expect(readdirSync(join(dir, '.kept.duckdb.spool'))).toEqual([]);
  });
});
