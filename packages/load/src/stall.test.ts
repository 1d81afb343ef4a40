import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '@headroom/internal';
import { startStallServer } from '../../../examples/stall/start.ts';
import type { StallServer } from '../../../examples/stall/start.ts';
import { collect, phaseEnds, plan } from './test-servers.ts';

let srv: StallServer;
beforeAll(async () => {
  srv = await startStallServer({ stallMs: 200, periodMs: 1000 });
});
afterAll(async () => {
  await srv.stop();
});

describe('coordinated omission against a stalling server', () => {
  it('corrected p99 shows the stalls that service time hides', async () => {
    // One connection: during each 200 ms stall one request waits on the wire and the other
    // ~40 queue in the generator. Truth: P(latency > x) = (200 − x)/1000 ⇒ p99 ≈ 190 ms.
    // Service time only sees the one request per stall on the wire (0.5%) ⇒ its p99 stays small.
    const ms = await collect(
      plan(srv.url, [{ name: 'o', model: 'constant', warmup: false, durationMs: 3000, connections: 1, rate: 200 }], { timeoutMs: 5000 }),
    );
    const e = phaseEnds(ms)[0]!;
    expect(e.requests).toBe(600);
    const corrected = decodeHistogram(e.hist).getValueAtPercentile(99) / 1000;
    const service = decodeHistogram(e.serviceHist).getValueAtPercentile(99) / 1000;
    expect(corrected).toBeGreaterThan(120);
    expect(corrected).toBeLessThan(260);
    expect(service).toBeLessThan(corrected / 4);
  });
});
