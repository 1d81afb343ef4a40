import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { HeadroomError } from '@headroom/core';
import { checkPerf } from './perf-check.ts';

const empty = mkdtempSync(join(tmpdir(), 'headroom-noperf-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));
const perfRuns = spawnSync('perf', ['--version']).status === 0;

describe('checkPerf', () => {
  it('fails with E_PERF_UNAVAILABLE naming the package to install when perf is not on PATH', () => {
    let err: unknown;
    try {
      checkPerf({ env: { PATH: empty } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeadroomError);
    expect((err as HeadroomError).code).toBe('E_PERF_UNAVAILABLE');
    expect((err as HeadroomError).exitCode).toBe(3);
    expect((err as Error).message).toContain('not found on PATH');
    expect((err as Error).message).toContain('apt-get install linux-perf');
  });

  it.skipIf(!perfRuns)('finds a usable event on this host (cycles, or cpu-clock where the PMU is not exposed)', () => {
    const setup = checkPerf();
    expect(['cycles', 'cpu-clock']).toContain(setup.event);
    expect(setup.version).toMatch(/^perf version/);
    // The choice matches what perf itself says about cycles here.
    const r = spawnSync('perf', ['stat', '-x,', '-e', 'cycles', 'true'], { encoding: 'utf8' });
    expect(setup.event === 'cycles').toBe(r.status === 0 && !r.stderr.includes('<not supported>'));
  });
});
