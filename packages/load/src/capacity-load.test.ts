import { describe, expect, it } from 'vitest';
import type { WorkerPhaseEnd, WorkerToRunner } from '@headroom/internal';
import { collect, httpServer, phaseEnds, plan } from './test-servers.ts';
import { runWorker } from './worker.ts';

const end = (ms: Awaited<ReturnType<typeof collect>>, phase: string): WorkerPhaseEnd => phaseEnds(ms).find((m) => m.phase === phase)!;

describe('capacity load shapes (headroom engine, real local server)', () => {
  it('closed-model steps: one sub-phase per connection count, concurrency bounded by it', async () => {
    // A server that answers after 20 ms: throughput ≈ connections / 20 ms.
    const srv = await httpServer((_req, res) => {
      setTimeout(() => res.end('ok'), 20);
    });
    const ms = await collect(
      plan(srv.url, [
        {
          name: 'c',
          model: 'closed-steps',
          warmup: false,
          levels: [1, 4],
          connections: 1,
          stepDurationMs: 1000,
          durationMs: 2000,
          thinkTimeMs: 0,
          stopWhen: null,
        },
      ]),
    );
    await srv.close();
    const one = end(ms, 'c@c1');
    const four = end(ms, 'c@c4');
    expect(one.requests).toBeGreaterThan(30); // ≤ 50 at 20 ms each
    expect(one.requests).toBeLessThanOrEqual(51);
    expect(four.requests / one.requests).toBeGreaterThan(3.3); // four loops in parallel
    expect(end(ms, 'c').requests).toBe(one.requests + four.requests);
    // Closed steps offer no rate: the step phase's row is closed (null), not 0 req/s.
    expect([one.offeredRate, four.offeredRate, end(ms, 'c').offeredRate]).toEqual([null, null, null]);
  });

  it("waiting for a free connection is the service's queue, not the generator's lateness", async () => {
    // One connection to a server that takes 30 ms, offered 60 req/s: most arrivals find it busy.
    const srv = await httpServer((_req, res) => {
      setTimeout(() => res.end('ok'), 30);
    });
    const ms = await collect(plan(srv.url, [{ name: 'o', model: 'constant', warmup: false, durationMs: 1500, connections: 1, rate: 60 }]));
    await srv.close();
    const e = end(ms, 'o');
    expect(e.queuedSends).toBeGreaterThan(e.requests / 2);
    expect(e.maxQueueUs).toBeGreaterThan(100_000); // the backlog grows ~13 ms per arrival over 1.5 s
    expect(e.lateBeyondResolution).toBeLessThan(e.requests / 10); // the generator itself kept up
    const warnings = ms.flatMap((m) => (m.type === 'warning' ? [m.message] : []));
    expect(warnings.some((w) => /could not keep schedule/.test(w))).toBe(false);
  });

  it('Poisson arrivals: about rate × duration sends, bursts included', async () => {
    const srv = await httpServer((_req, res) => res.end('ok'));
    const ms = await collect(
      plan(srv.url, [
        {
          name: 'p',
          model: 'constant',
          warmup: false,
          durationMs: 2000,
          connections: 8,
          rate: 500,
          arrivals: { kind: 'poisson', seed: 5 },
        },
      ]),
    );
    await srv.close();
    const e = end(ms, 'p');
    // Poisson count: mean 1000, SD ≈ 32; allow 4 SD. An even schedule gives exactly 1000.
    expect(Math.abs(e.requests - 1000)).toBeLessThan(130);
    expect(e.requests).not.toBe(1000);
    expect(e.offered).toBe(e.requests);
  });

  it('stop while one step drains and the next sends (a breakpoint stop): each ends once, then the step phase with their sum', async () => {
    const srv = await httpServer((_req, res) => {
      setTimeout(() => res.end('ok'), 300);
    });
    const p = plan(srv.url, [
      { name: 's', model: 'steps', warmup: false, from: 50, to: 150, step: 50, stepDurationMs: 200, durationMs: 600, connections: 32 },
    ]);
    const ms = await collect(p, 350);
    await srv.close();
    const ends = phaseEnds(ms);
    expect(ends.map((e) => e.phase).sort()).toEqual(['s', 's@100', 's@50']);
    expect(end(ms, 's').requests).toBe(end(ms, 's@50').requests + end(ms, 's@100').requests);
    expect(end(ms, 's').offeredRate).toBe(75); // the mean of the steps that ran
    expect(ms.filter((m) => m.type === 'fatal')).toEqual([]);
  });

  it('endPhase while one step drains and the next sends: the draining step ends whole, the sending one is cut, no later step starts', async () => {
    // Every response takes 300 ms: s@50 (0-200 ms, 10 arrivals) is still draining at 350 ms, when s@100 (200-400 ms) is sending.
    const srv = await httpServer((_req, res) => {
      setTimeout(() => res.end('ok'), 300);
    });
    const p = plan(srv.url, [
      { name: 's', model: 'steps', warmup: false, from: 50, to: 150, step: 50, stepDurationMs: 200, durationMs: 600, connections: 32 },
    ]);
    const ms: WorkerToRunner[] = [];
    const h = runWorker(p, (m) => ms.push(m));
    const began = Date.now();
    setTimeout(() => h.endPhase('s'), p.startAt - Date.now() + 350);
    await h.done;
    await srv.close();
    const ends = phaseEnds(ms);
    // In timeline order (the cut step reports after the one still draining), then the phase; s@150 never started.
    expect(ends.map((e) => e.phase)).toEqual(['s@50', 's@100', 's']);
    expect(end(ms, 's@50').requests).toBe(10); // drained: every arrival answered
    expect(end(ms, 's@50').ok).toBe(10);
    // s@100 sent its arrivals of 200-350 ms, whose answers (due from 500 ms) were dropped when it was cut.
    expect(end(ms, 's@100').requests).toBe(0);
    expect(end(ms, 's').requests).toBe(10);
    // Done once s@50 drained (~500 ms after the start), not at the planned end of s@150 plus its drain.
    expect(Date.now() - began).toBeLessThan(p.startAt - began + 900);
    expect(ms.at(-1)?.type).toBe('done');
  });
});
