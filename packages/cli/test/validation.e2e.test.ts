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
    // The store was checked, but no run was begun.
    expect(await query(db, 'SELECT id FROM runs')).toEqual([]);
    const spools = join(dir, '.h.duckdb.spool');
    expect(existsSync(spools) ? readdirSync(spools) : []).toEqual([]);
  });
});
