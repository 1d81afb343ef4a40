import capacity from '../../../scenarios/capacity.ts';
import { defineScenario } from '@headroom/core';

/**
 * scenarios/capacity.ts with 2-s steps of 1,000 req/s up to 14,000 (its own are 4-s steps of 500
 * up to 8,000, which a quiet run on this VM passed whole): the same service, SLO, budgets and
 * breakpoint search, short enough (~20-30 s) to make the report's capacity screenshot from a
 * real run.
 */
export default defineScenario({
  ...capacity,
  phases: [
    { name: 'warmup', duration: '2s', connections: 8 },
    { name: 'capacity', rate: { from: 1000, to: 14000, step: 1000 }, stepDuration: '2s', stopWhen: 'slo' },
  ],
});
