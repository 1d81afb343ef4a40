import { defineScenario } from '@headroom/core';

/**
 * Capacity planning for the bundled orders service: how many requests a second it carries
 * within its SLO, what runs out first, and the headroom over the expected production peak.
 *
 *   npx headroom run scenarios/capacity.ts
 *   npx headroom capacity latest
 *
 * A breakpoint search: the rate rises in steps until the SLO (or the offered rate) fails in two
 * steps in a row, then the phase stops by itself. The service's CPU is sampled from /proc every
 * second, so `headroom capacity` can name the limit and the rate at which CPU reaches the budget.
 */
export default defineScenario({
  name: 'orders-capacity',
  service: {
    command: ['node', 'examples/orders/server.ts'],
    env: { PORT: '3101' },
    ready: 'http://127.0.0.1:3101/health',
    cpus: [0],
  },
  target: 'http://127.0.0.1:3101',
  requests: [
    { name: 'list', method: 'GET', path: '/orders?limit=10', weight: 4 },
    { name: 'create', method: 'POST', path: '/orders', json: { sku: 'a1', qty: 2 }, weight: 2 },
    { name: 'report', method: 'GET', path: '/report', weight: 4 }, // the heavy route
  ],
  workers: { cpus: [1] },
  phases: [
    { name: 'warmup', duration: '3s', connections: 8 },
    { name: 'capacity', rate: { from: 500, to: 8000, step: 500 }, stepDuration: '4s', stopWhen: 'slo' },
  ],
  slo: { p99: '50ms', errorRate: '0.1%' },
  expectedPeak: 1500,
  budgets: { cpu: '< 60%', headroom: '>= 1.3' },
  thresholds: { headroom: '>= 1.3' },
});
