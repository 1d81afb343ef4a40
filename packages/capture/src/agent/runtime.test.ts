import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { RuntimeSample } from '../protocol.ts';
import { ELD_PROBE, startRuntimeSampler } from './runtime.ts';

/** Voluntary context switches of the calling thread: each is a wake-up from sleep. */
function wakes(): number {
  const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync('/proc/thread-self/status', 'utf8'));
  return Number(m![1]);
}

/** Keeps the event loop busy for `ms` in tasks of `taskMs` each, yielding to the loop between them. */
async function busy(ms: number, taskMs: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const until = performance.now() + taskMs;
    while (performance.now() < until) {
      /* spin: work the loop is doing */
    }
    await new Promise((r) => setImmediate(r));
  }
}

describe('the runtime sampler', () => {
  it('reads the delay of a busy loop (tasks of 30 ms: probes run up to 30 ms late) and wakes an idle one ~11 times a second, not ~101', async () => {
    const samples: RuntimeSample[] = [];
    const stop = startRuntimeSampler((s) => samples.push(s));
    try {
      await busy(3100, 30);
      const busySamples = samples.slice(1);
      expect(busySamples.length).toBeGreaterThanOrEqual(2);
      for (const s of busySamples) expect(s.elu).toBeGreaterThan(ELD_PROBE.busyElu);
      // A probe falling due during a 30 ms task runs when it ends: up to 30 ms late.
      for (const s of busySamples) expect(s.eld_p99_ms).toBeGreaterThan(15);
      for (const s of busySamples) expect(s.eld_p99_ms).toBeLessThan(60);

      // Idle: after one idle second the sampler falls back to the 100 ms probe, so an idle
      // second wakes the thread about 11 times (10 probes and the sampler), not about 101.
      await sleep(1500);
      const before = wakes();
      await sleep(1000);
      const idleWakes = wakes() - before;
      expect(idleWakes).toBeLessThan(40);
      expect(samples.at(-1)!.elu).toBeLessThan(ELD_PROBE.busyElu);
    } finally {
      stop();
    }
  }, 15_000);
});
