import type { StoredPhase } from '@headroom/store';
import { describe, expect, it } from 'vitest';
import { stolenSteps } from './capacity-of-run.ts';

const step = (phase: string, gen: number | null, svc: number | null) =>
  ({ phase, steal_generator: gen, steal_service: svc }) as StoredPhase;

describe('capacity: steps the host took CPU from', () => {
  it('names each step over 5% on either side with both figures, and says what it means for the limit', () => {
    expect(stolenSteps([step('ramp@1000', 0.01, 0.0), step('ramp@2000', 0.12, 0.031), step('ramp@3000', null, 0.08)])).toBe(
      "the hypervisor took more than 5% of the generator's or the service's CPUs during ramp@2000 (12.0% / 3.1%), ramp@3000 (- / 8.0%): " +
        "their figures hold the host's pauses, so a limit found there may be the host's; rerun on a quieter or dedicated host before acting on it",
    );
  });

  it('is quiet at 5% and below, and for runs stored before steal was measured', () => {
    expect(stolenSteps([step('ramp@1000', 0.05, 0.05), step('ramp@2000', null, null)])).toBeNull();
  });
});
