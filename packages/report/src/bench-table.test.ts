import { describe, expect, it } from 'vitest';
import { formatBenchSummary } from './bench-table.ts';

describe('formatBenchSummary', () => {
  const base = { runId: 'r1', name: 'b', status: 'completed', tasks: [], db: 'h.duckdb' };

  it('says how each run was isolated: a process, or a worker thread', () => {
    expect(formatBenchSummary(base)).toContain('each run a fresh pinned process');
    expect(formatBenchSummary({ ...base, isolation: 'thread' })).toContain('each run a fresh worker thread of one pinned process');
    expect(formatBenchSummary({ ...base, isolation: 'thread' })).not.toContain('fresh pinned process');
  });
});
