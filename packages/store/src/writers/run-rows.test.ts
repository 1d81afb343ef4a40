import { describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { writeRunRows } from './run-rows.ts';

describe('writeRunRows', () => {
  it('writes a run and its rows in one transaction: a row that cannot be written leaves nothing of the run', async () => {
    const store = await Store.open(':memory:');
    try {
      const run = { id: 'r', kind: 'load', scenario: 'orders', status: 'completed', started_at: 1_700_000_000_000 };
      const phase = { run_id: 'r', phase: 'steady', ordinal: 0, requests: 10 };
      const none = { series: [], requests: [], checks: [], flows: [], gates: [] };
      // The same (run, phase) twice breaks the primary key halfway through.
      await expect(writeRunRows(store, { run, phases: [phase, phase], ...none })).rejects.toThrow();
      expect(await store.query('SELECT id FROM runs')).toEqual([]);
      expect(await store.query('SELECT phase FROM phases')).toEqual([]);
      await writeRunRows(store, { run, phases: [phase], ...none, gates: [{ run_id: 'r', key: 'steady.p99', passed: true }] });
      expect(
        await store.query('SELECT r.id, p.requests, g.passed FROM runs r JOIN phases p ON p.run_id = r.id JOIN gates g ON g.run_id = r.id'),
      ).toEqual([{ id: 'r', requests: 10, passed: true }]);
    } finally {
      store.close();
    }
  });
});
