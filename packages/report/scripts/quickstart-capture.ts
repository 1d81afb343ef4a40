import quickstart from '../../../scenarios/quickstart.ts';
import { defineScenario } from '@headroom/core';

/**
 * The quickstart with capture on (CPU and heap profiles, 2% of requests traced): the run the
 * report's browser tests and screenshots are made from.
 */
export default defineScenario({
  ...quickstart,
  service: { ...quickstart.service!, capture: { cpu: true, heap: true, traces: { sample: 0.02 } } },
});
