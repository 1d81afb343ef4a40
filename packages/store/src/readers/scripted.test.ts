/** readScripted against a real DuckDB store in memory. */
import { describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { readScripted } from './scripted.ts';

describe('readScripted', () => {
  it("reads one run's names busiest first, its checks and flows, without histograms", async () => {
    const store = await Store.open(':memory:');
    try {
      const name = (run_id: string, name: string, requests: number) => ({
        run_id,
        phase: 'steady',
        name,
        requests,
        errors: 1,
        errors_by_kind: '{"tls":1}',
        p50_ms: 1,
        hist: new Uint8Array([1, 2]),
      });
      await store.upsert('phase_requests', [name('r1', 'a', 10), name('r1', 'b', 30), name('r2', 'c', 99)]);
      await store.upsert('phase_checks', [{ run_id: 'r1', phase: 'steady', name: 'ok', passes: 9, fails: 1, rate: 0.9 }]);
      await store.upsert('phase_flows', [{ run_id: 'r1', phase: 'steady', flow: 'f', iterations: 5, messages: '[]' }]);
      const r = await readScripted(store, 'r1');
      expect(r.requests.map((n) => [n.name, n.requests, JSON.parse(n.errors_by_kind!)])).toEqual([
        ['b', 30, { tls: 1 }],
        ['a', 10, { tls: 1 }],
      ]);
      expect(Object.keys(r.requests[0]!)).not.toContain('hist');
      expect(r.checks).toEqual([{ phase: 'steady', name: 'ok', passes: 9, fails: 1, rate: 0.9 }]);
      expect(r.flows.map((f) => [f.flow, f.iterations])).toEqual([['f', 5]]);
    } finally {
      store.close();
    }
  });

  it('reads nothing from a store made before schema 6 (a read-only open does not migrate it)', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.userQuery('DROP TABLE phase_requests; DROP TABLE phase_checks; DROP TABLE phase_flows');
      expect(await readScripted(store, 'r1')).toEqual({ requests: [], checks: [], flows: [] });
    } finally {
      store.close();
    }
  });
});
