import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csv, json, rows } from './data/data-source.ts';
import { ValidationError } from './errors.ts';
import { parseThresholdKey } from './threshold.ts';
import { validateScenario } from './validate-scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-core-'));
const file = join(dir, 'scenario.ts');
writeFileSync(join(dir, 'users.csv'), 'user,pass\nu1,p1\nu2,p2\n');
writeFileSync(join(dir, 'ids.json'), '[1, 2, 3]');
const base = { name: 's', target: 'http://127.0.0.1:1', phases: [{ name: 'steady', duration: '1s', rate: 10 }] };

function issues(input: object): string[] {
  try {
    validateScenario({ ...base, ...input }, { file, cpuCount: 2 });
    return [];
  } catch (err) {
    return (err as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('scripted scenario fields', () => {
  it('resolves flows, data relative to the scenario file, and marks the scenario scripted', () => {
    const s = validateScenario(
      {
        ...base,
        flows: { a: async () => {}, b: { fn: async () => {}, weight: 3 } },
        data: {
          users: csv('users.csv', { pick: 'unique-per-vu' }),
          ids: json('ids.json'),
          skus: ['x'],
          more: rows([{ k: 1 }], { pick: 'random' }),
        },
      },
      { file, cpuCount: 2 },
    );
    expect(s.flows).toEqual([
      { name: 'a', weight: 1 },
      { name: 'b', weight: 3 },
    ]);
    expect(s.data.map((d) => [d.name, d.kind, d.rows, d.pick])).toEqual([
      ['users', 'csv', 2, 'unique-per-vu'],
      ['ids', 'json', 3, 'sequential'],
      ['skus', 'inline', 1, 'sequential'],
      ['more', 'inline', 1, 'random'],
    ]);
    expect(s.data[0]?.file).toBe(join(dir, 'users.csv'));
    expect(s.scripted).toBe(true);
    expect(s.requests).toEqual([]);
  });

  it('a static mix stays on the fast path; a check or a function makes it scripted', () => {
    expect(validateScenario({ ...base, requests: [{ path: '/' }] }, { file, cpuCount: 2 }).scripted).toBe(false);
    const s = validateScenario(
      { ...base, requests: [{ path: (c: { vu: number }) => `/u/${c.vu}`, check: { ok: () => true } }] },
      { file, cpuCount: 2 },
    );
    expect(s.scripted).toBe(true);
    expect(s.requests[0]).toMatchObject({ name: 'GET requests[0]', dynamic: true, checks: ['ok'] });
  });

  it('reports every problem with its path', () => {
    expect(
      issues({
        requests: [{ path: '/', check: { 'is ok': 'yes' } }],
        flows: { f: { weight: 2 } },
        data: { users: csv('missing.csv'), x: { kind: 'csv', path: 'users.csv', pick: 'shuffle' } },
      }),
    ).toEqual([
      'flows.f.fn: must be a function',
      'requests[0].check["is ok"]: a check must be a function, got string',
      'requests: a scenario has requests or flows, not both',
      expect.stringMatching(/^data\.users: cannot read .*missing\.csv: ENOENT$/),
      'data.x.pick: unknown pick "shuffle"',
    ]);
    expect(issues({ requests: undefined })).toEqual(['requests: is required (or flows)']);
    expect(issues({ flows: { f: async () => {} }, phases: [{ name: 'c', duration: '1s', connections: 4, maxVus: 8 }] })).toEqual([
      'phases[0].maxVus: maxVus is for open-model phases (rate)',
    ]);
  });
});

describe('threshold keys for names and checks', () => {
  it('parses k6-like tags', () => {
    expect(parseThresholdKey('steady{name:report}.p99')).toEqual({ scope: 'steady', metric: 'p99', request: 'report' });
    expect(parseThresholdKey('run{name:GET /orders/:id}.errorRate')).toEqual({
      scope: 'run',
      metric: 'errorRate',
      request: 'GET /orders/:id',
    });
    expect(parseThresholdKey('steady{name:x}.errors.rate')).toEqual({ scope: 'steady', metric: 'errorRate', request: 'x' });
    expect(parseThresholdKey('checks.rate')).toEqual({ scope: 'run', metric: 'checkRate' });
    expect(parseThresholdKey('steady.checks.rate')).toEqual({ scope: 'steady', metric: 'checkRate' });
    expect(parseThresholdKey('checks{check:has id}.rate')).toEqual({ scope: 'run', metric: 'checkRate', check: 'has id' });
    expect(parseThresholdKey('steady{name:x}.headroom')).toHaveProperty('error');
  });
});
