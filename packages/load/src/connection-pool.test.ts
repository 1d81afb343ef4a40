import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { planWorkers } from './plan-workers.ts';
import { collect, countingServer, phaseEnds, type CountingServer } from './test-servers.ts';

let server: CountingServer;
/** How long the server takes to answer (ms). */
let delayMs = 0;

beforeAll(async () => {
  server = await countingServer((_req, res) => {
    if (delayMs > 0) setTimeout(() => res.end('ok'), delayMs);
    else res.end('ok');
  });
});
beforeEach(() => {
  server.reset();
  delayMs = 0;
});
afterAll(() => server.close());

function plan(phases: unknown[]) {
  const scenario = validateScenario(
    { name: 'pool', target: server.url, requests: [{ method: 'GET', path: '/' }], phases },
    { file: 'x.ts', cpuCount: 2 },
  );
  return planWorkers(scenario, 1, Date.now() + 500)[0]!;
}

describe('the connection pool of the static engine', () => {
  it('opens the first phase’s connections before its start; the next phase and every step of a stepped one run on them', async () => {
    const out = await collect(
      plan([
        { name: 'warm', duration: '500ms', rate: 40, connections: 4 },
        { name: 'steps', rate: { from: 20, to: 60, step: 20 }, stepDuration: '1s', connections: 4 },
        { name: 'closed', duration: '300ms', connections: 4, thinkTime: '20ms' },
      ]),
    );
    const ends = phaseEnds(out);
    expect(ends.slice(0, 5).map((e) => [e.phase, e.requests, e.ok])).toEqual([
      ['warm', 20, 20],
      ['steps@20', 20, 20],
      ['steps@40', 40, 40],
      ['steps@60', 60, 60],
      ['steps', 120, 120],
    ]);
    const closed = ends.find((e) => e.phase === 'closed')!;
    expect(closed.requests).toBeGreaterThan(20); // 4 connections, 20 ms think time, 300 ms
    expect(closed.ok).toBe(closed.requests);
    // The 4 connections were open before the first request, and nothing opened another one.
    expect(server.accepted.filter((a) => a.at < server.requests[0]!.at)).toHaveLength(4);
    expect(server.accepted).toHaveLength(4);
    const prepared = new Set(server.accepted.map((a) => a.port));
    for (const r of server.requests) expect(prepared.has(r.port)).toBe(true);
  });

  it('a phase that starts while the last one drains takes its idle connections and opens only the shortfall', async () => {
    // An even 50 req/s at 30 ms a response keeps at most 2 of the 4 connections busy at any time.
    delayMs = 30;
    const out = await collect(
      plan([
        { name: 'busy', duration: '400ms', rate: 50, connections: 4 },
        { name: 'after', duration: '400ms', rate: 20, connections: 4 },
      ]),
    );
    expect(phaseEnds(out).map((e) => [e.phase, e.errors])).toEqual([
      ['busy', {}],
      ['after', {}],
    ]);
    // 4 before the start, and for the second phase only as many as were still busy when it began
    // (each unit opening its own made it 8).
    expect(server.accepted.length).toBeGreaterThanOrEqual(4);
    expect(server.accepted.length).toBeLessThanOrEqual(6);
    // The worker closed every connection at the end.
    for (let k = 0; k < 50 && server.open() > 0; k++) await new Promise((r) => setTimeout(r, 20));
    expect(server.open()).toBe(0);
  });
});
