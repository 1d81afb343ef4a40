import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivalSchedule } from './arrival-schedule.ts';
import { encodeRequest } from './encode-request.ts';
import { OpenRunner } from './open-runner.ts';
import { Recorder } from './recorder.ts';
import { NameTable } from './name-table.ts';
import { RequestMix } from './request-mix.ts';
import { GET, httpServer } from './test-servers.ts';
import type { TestServer } from './test-servers.ts';
import { TraceSampler } from './trace-context.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await httpServer((_req, res) => res.end('ok'));
});
afterAll(async () => {
  await srv.close();
});

/** Drives one open-model unit in this process and returns the runner once drained. */
async function drive(rate: number, durationMs: number): Promise<{ runner: OpenRunner; recorder: Recorder }> {
  const recorder = new Recorder();
  const runner = new OpenRunner({
    unit: {
      name: 'o',
      parent: 'o',
      startMs: 0,
      durationMs,
      connections: 8,
      maxVus: 8,
      model: 'open',
      thinkTimeMs: 0,
      schedule: arrivalSchedule({ from: rate, to: rate, durationMs, worker: 0, workers: 1 }),
      offeredRate: rate,
      rateFrom: rate,
      rateTo: rate,
      closesParent: true,
    },
    recorder,
    target: srv.url,
    requests: [encodeRequest(srv.url, GET)],
    mix: new RequestMix([GET]),
    traces: new TraceSampler(0),
    timeoutMs: 2000,
    startPerf: performance.now() + 20,
    poll: false,
    warn: () => {},
    names: new NameTable('o'),
    byIndex: null,
  });
  await new Promise((r) => setTimeout(r, durationMs + 40));
  runner.finish();
  await runner.drained;
  return { runner, recorder };
}

describe('open runner wake-ups', () => {
  // Issue 16 item 10: a connection freed while an arrival was due called the wake directly
  // and dropped the handle of the timer still pending, which then armed a second one: the
  // wake-up chains multiplied (35k wakes in the first second at 1,000 req/s, 300k by the
  // tenth) and the generator's CPU grew with time at a constant rate.
  it('wakes at most about once per arrival, however long the phase', async () => {
    const { runner, recorder } = await drive(1000, 3000);
    recorder.closeSecond();
    expect(recorder.total.requests).toBe(3000);
    expect(runner.wakes).toBeLessThan(2 * 3000);
    expect(runner.wakes).toBeGreaterThan(100); // sparse enough arrivals do sleep on a timer
  });
});
