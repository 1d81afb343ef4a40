import capacity from '../../../scenarios/capacity.ts';
import { defineScenario } from '@headroom/core';

/**
 * scenarios/capacity.ts with 2-s steps of 1,000 req/s (its own are 4-s steps of 500): the same
 * service, SLO, budgets and breakpoint search, short enough (~20 s) to make the report's
 * capacity screenshot from a real run.
 */
export default defineScenario({
  ...capacity,
  phases: [
    { name: 'warmup', duration: '2s', connections: 8 },
    { name: 'capacity', rate: { from: 1000, to: 8000, step: 1000 }, stepDuration: '2s', stopWhen: 'slo' },
  ],
});
