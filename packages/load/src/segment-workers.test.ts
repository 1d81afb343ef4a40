/**
 * Segments' workers against a real server: together they send the whole scenario's open
 * schedule (headroom engine: exactly; autocannon: its share capped at each stripe's count).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { planWorkers } from './plan-workers.ts';
import { collect, countingServer, phaseEnds, type CountingServer } from './test-servers.ts';

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

/** Runs segment 0/2 with 1 worker and segment 1/2 with 2, all in this process, from one start. */
async function runSegments(engine: 'headroom' | 'autocannon') {
  const s = validateScenario(
    {
      name: 's',
      target: server.url,
      requests: [{ path: '/' }],
      workers: { cpus: [0], engine },
      phases: [
        { name: 'open', duration: '1500ms', rate: 100, connections: 4 },
        { name: 'closed', duration: '500ms', connections: 4 },
      ],
    },
    { file: 's.ts', cpuCount: 2 },
  );
  const startAt = Date.now() + 300;
  const plans = [
    ...planWorkers(s, 1, startAt, { segment: { index: 0, count: 2 } }),
    ...planWorkers(s, 2, startAt, { segment: { index: 1, count: 2 } }),
  ];
  const ends = (await Promise.all(plans.map((p) => collect(p)))).flatMap(phaseEnds);
  const sum = (phase: string, k: 'offered' | 'requests') => ends.filter((e) => e.phase === phase).reduce((a, e) => a + e[k], 0);
  return { sum, served: server.requests.length };
}

describe('segments’ workers against a real server', () => {
  it('headroom engine: the server gets exactly the whole open schedule, and every request is counted once', async () => {
    const { sum, served } = await runSegments('headroom');
    expect(sum('open', 'offered')).toBe(150);
    expect(sum('open', 'requests')).toBe(150);
    expect(served).toBe(150 + sum('closed', 'requests'));
  });

  it('autocannon engine: the stripes offer the whole schedule and send no more than it', async () => {
    const { sum } = await runSegments('autocannon');
    expect(sum('open', 'offered')).toBe(150);
    expect(sum('open', 'requests')).toBeGreaterThan(50);
    // (The server's own count is no check here: autocannon's stop drops the closed phase's requests in flight uncounted.)
    expect(sum('open', 'requests')).toBeLessThanOrEqual(150);
  });
});
