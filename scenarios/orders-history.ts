import { defineScenario } from '@headroom/core';

/**
 * The scenario scripts/make-history.ts runs at several "commits" to build a history for
 * `headroom forecast`: the bundled orders service with runtime metrics (CPU per request, RSS),
 * a short warm-up, then a steady open-model phase.
 */
export default defineScenario({
  name: 'orders-history',
  service: {
    command: ['node', 'examples/orders/server.ts'],
    env: { PORT: '3110' },
    ready: 'http://127.0.0.1:3110/health',
    cpus: [0],
    capture: { runtime: true },
  },
  target: 'http://127.0.0.1:3110',
  requests: [
    { name: 'list', method: 'GET', path: '/orders?limit=10', weight: 12 },
    { name: 'create', method: 'POST', path: '/orders', json: { sku: 'a1', qty: 2 }, weight: 7 },
    { name: 'report', method: 'GET', path: '/report', weight: 1 },
  ],
  workers: { cpus: [1] },
  phases: [
    { name: 'warmup', duration: '2s', connections: 4 },
    { name: 'steady', duration: '8s', rate: 500 },
  ],
  slo: { p99: '50ms', errorRate: '0.1%' },
  expectedPeak: 400,
  traffic: { peak: 400, growth: '4%/month' },
});
