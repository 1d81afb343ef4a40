import { describe, expect, it } from 'vitest';
import { allowedCpus, formatCpuList, parseCpuList } from './allowed-cpus.ts';
import { validateBench } from './bench.ts';
import { ValidationError } from './errors.ts';
import { validateScenario } from './validate-scenario.ts';

const base = {
  name: 's',
  target: 'http://127.0.0.1:9',
  requests: [{ method: 'GET', path: '/' }],
  phases: [{ name: 'p', duration: '1s', rate: 10 }],
};

describe('CPU lists (the kernel format of Cpus_allowed_list and cpuset.cpus)', () => {
  it('parses ranges and singles, and writes runs of three or more as ranges', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('5')).toEqual([5]);
    expect(formatCpuList([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10,11');
    expect(formatCpuList([4, 5])).toBe('4,5');
  });

  it("reads this process's own affinity", () => {
    const cpus = allowedCpus();
    expect(cpus.length).toBeGreaterThan(0);
    expect([...cpus].sort((a, b) => a - b)).toEqual(cpus);
  });
});

describe('CPU sets checked against the CPUs headroom may use (a pod given CPUs 4 and 5)', () => {
  it('defaults the service to the first and the workers to the rest, never to CPU 0', () => {
    const s = validateScenario(
      { ...base, service: { command: ['node', 'x.js'], ready: 'http://127.0.0.1:9/' } },
      { file: 's.ts', cpus: [4, 5] },
    );
    expect(s.service?.cpus).toEqual([4]);
    expect(s.workers.cpus).toEqual([5]);
    expect(validateScenario(base, { file: 's.ts', cpus: [4, 5] }).workers.cpus).toEqual([4, 5]);
    expect(validateBench({ name: 'b', tasks: { t: () => {} } }, { file: 'b.ts', cpus: [4, 5] }).cpus).toEqual([5]);
  });

  it('refuses a CPU outside the set, naming the set and the fix', () => {
    let err: unknown;
    try {
      validateScenario({ ...base, workers: { cpus: [1] } }, { file: 's.ts', cpus: [4, 5] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: 'workers.cpus[0]',
        message:
          "CPU 1 is not one headroom may use here: it may run on CPUs 4,5 (its affinity: a container's cpuset or a taskset around it)",
        hint: 'use CPUs from 4,5, or leave the CPU set out to use those',
      },
    ]);
  });

  it('still says a CPU does not exist when the set is the whole machine', () => {
    expect(() => validateScenario({ ...base, workers: { cpus: [7] } }, { file: 's.ts', cpuCount: 2 })).toThrow(
      /workers.cpus\[0\]: CPU 7 does not exist on this machine \(CPUs 0-1\)/,
    );
  });

  it('refuses a CPU listed twice (two workers on one CPU, and a pinning that could not be verified)', () => {
    let err: unknown;
    try {
      validateScenario({ ...base, workers: { cpus: [1, 1] } }, { file: 's.ts', cpus: [0, 1] });
    } catch (e) {
      err = e;
    }
    expect((err as ValidationError).issues).toEqual([
      { path: 'workers.cpus[1]', message: 'CPU 1 is listed twice', hint: 'list each CPU once, e.g. [1]' },
    ]);
  });
});
