import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '@headroom/internal';
import { collect, httpServer, phaseEnds, plan, ticks } from './test-servers.ts';
import type { TestServer } from './test-servers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await httpServer((q, res) => {
    res.statusCode = q.url === '/missing' ? 404 : 200;
    res.end('ok');
  });
});
afterAll(async () => {
  await srv.close();
});

describe('autocannon engine (reference), mapped into the same messages', () => {
  it('closed model: counts, status classes, histograms where hist equals serviceHist', async () => {
    const requests = [
      { name: 'ok', method: 'GET' as const, path: '/', headers: {}, body: null, weight: 1 },
      { name: 'missing', method: 'GET' as const, path: '/missing', headers: {}, body: null, weight: 1 },
    ];
    const ms = await collect(
      plan(srv.url, [{ name: 'c', model: 'closed', warmup: false, durationMs: 1200, connections: 2, thinkTimeMs: 0 }], {
        engine: 'autocannon',
        requests,
      }),
    );
    const e = phaseEnds(ms)[0]!;
    expect(e.requests).toBeGreaterThan(50);
    expect(e.ok + (e.errors.http_4xx ?? 0)).toBe(e.requests);
    expect(Math.abs(e.ok - (e.errors.http_4xx ?? 0))).toBeLessThanOrEqual(4);
    const h = decodeHistogram(e.hist);
    expect(h.totalCount).toBe(e.requests);
    expect(h.getValueAtPercentile(90)).toBe(decodeHistogram(e.serviceHist).getValueAtPercentile(90));
    expect(ticks(ms).map((t) => t.second)).toEqual([0, 1]);
    expect(ms.at(-1)!.type).toBe('done');
  });

  it('open model via overallRate: about the offered rate', async () => {
    const ms = await collect(
      plan(srv.url, [{ name: 'o', model: 'constant', warmup: false, durationMs: 2000, connections: 4, rate: 100 }], {
        engine: 'autocannon',
      }),
    );
    const e = phaseEnds(ms)[0]!;
    expect(e.offered).toBe(200);
    expect(e.requests).toBeGreaterThan(120);
    // autocannon sends each second's quota in a burst, at 0, 1 and (when its stop lands a little late,
    // as it does on a busy host) 2 s; capped at the schedule's count, it never sends more than offered.
    expect(e.requests).toBeLessThanOrEqual(200);
  });
});
