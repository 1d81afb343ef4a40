import quickstart from '../../../scenarios/quickstart.ts';
import { defineScenario } from '@headroom/core';

/**
 * The quickstart's service under a step load with capture on: the run behind the report's
 * capacity section (p99 and throughput against offered load, CPU against throughput).
 */
export default defineScenario({
  ...quickstart,
  name: 'quickstart-steps',
  service: { ...quickstart.service!, capture: { cpu: true, traces: { sample: 0.01 } } },
  phases: [
    { name: 'warmup', duration: '2s', connections: 8 },
    { name: 'steps', rate: { from: 1000, to: 6000, step: 1000 }, stepDuration: '3s' },
  ],
  thresholds: {},
});
