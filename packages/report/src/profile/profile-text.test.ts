/** The profile and trace texts: what a reader must see (idle apart, movers, trees). */
import { describe, it, expect } from 'vitest';
import { profileDiff, profileTop, slowTraces } from '@headroom/analysis';
import type { FunctionRow } from '@headroom/capture/profile';
import { formatProfileDiff } from './profile-diff-text.ts';
import { formatProfileTop } from './profile-top-text.ts';
import { formatSlowTraces } from './slow-traces-text.ts';
import { formatProfileValue } from './profile-values.ts';

const row = (fn: string, self: number, type = 'cpu'): FunctionRow => ({
  phase: 'steady',
  type,
  function: fn,
  file: `/src/${fn}.ts`,
  line: 4,
  self,
  total: self,
  unit: 'nanoseconds',
});

describe('formatProfileTop', () => {
  it('states wall idle on its own line and ranks only busy functions', () => {
    const rows = [
      row('(idle)', 630e6, 'wall'),
      row('handler', 370e6, 'wall'),
      row('(idle)', 10e6),
      row('handler', 300e6),
      row('parse', 100e6),
    ];
    const text = formatProfileTop(profileTop(rows));
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'wall idle 63.00%: no JavaScript on the main thread (waiting for I/O, or native work such as socket writes; not ranked)',
    );
    expect(lines[1]).toMatch(/^cpu not in any function 2\.44%/); // 10 / (10 + 400)
    expect(lines[2]).toBe('shares below are of the cpu spent in functions, 400ms');
    expect(text).not.toMatch(/\(idle\)\s+\/src/);
    // handler: 300 of 400 busy = 75%.
    expect(lines.find((l) => l.includes('handler'))).toMatch(/300ms\s+75\.00%/);
  });

  it('says when there is nothing', () => {
    expect(formatProfileTop(profileTop([], { phase: 'steady' }))).toBe('no cpu profile rows for phase steady');
  });
});

describe('formatProfileDiff', () => {
  it('puts the biggest mover first with a signed change', () => {
    const d = profileDiff([row('a', 50), row('b', 50)], [row('a', 100), row('b', 200), row('c', 100)]);
    const lines = formatProfileDiff(d).split('\n');
    expect(lines[2]).toMatch(/^-25\.00%.*\ba\b/);
    expect(lines[3]).toMatch(/^\+25\.00%.*c \(added\)/);
  });
});

describe('formatSlowTraces', () => {
  it('draws each request and its span tree', () => {
    const r = slowTraces(
      [
        {
          trace_id: 'x',
          span_id: 's',
          parent_span_id: 'g',
          name: 'GET',
          kind: 'server',
          service: 'api',
          start_ms: 1002,
          duration_ms: 40,
          status_code: 'unset',
          attributes: '{"url.path":"/orders"}',
          source: 'otlp',
        },
      ],
      [
        {
          traceId: 'x',
          spanId: 'g',
          phase: 'steady',
          request: 'GET /orders',
          startedAt: 1000,
          latencyUs: 45_000,
          status: 200,
          error: null,
        },
        { traceId: 'y', spanId: 'h', phase: 'steady', request: 'GET /a', startedAt: 0, latencyUs: 1_000, status: 200, error: null },
      ],
    );
    const text = formatSlowTraces(r);
    expect(text).toContain('1. 45.0ms  GET /orders  phase steady  status 200  trace x');
    expect(text).toContain('   └─ GET /orders (server, api) +2.0ms 40.0ms');
    expect(text).toContain('no spans received');
    expect(formatSlowTraces({ traces: [] })).toBe('no sampled requests');
  });
});

describe('formatProfileValue', () => {
  it('scales nanoseconds and bytes', () => {
    expect(formatProfileValue(1_500_000_000, 'nanoseconds')).toBe('1.5s');
    expect(formatProfileValue(2.5 * 2 ** 20, 'bytes')).toBe('2.5MiB');
    expect(formatProfileValue(512, 'bytes')).toBe('512B');
    expect(formatProfileValue(7.4, 'count')).toBe('7');
  });
});
