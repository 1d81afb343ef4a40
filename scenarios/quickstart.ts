import { defineScenario } from '@headroom/core';

/**
 * The quickstart: the bundled orders service on CPU 0, the load generator on CPU 1,
 * a short closed-model warm-up, then a steady open-model phase at a fixed rate.
 */
export default defineScenario({
  name: 'quickstart',
  service: {
    command: ['node', 'examples/orders/server.ts'],
    env: { PORT: '3100' },
    ready: 'http://127.0.0.1:3100/health',
    cpus: [0],
  },
  target: 'http://127.0.0.1:3100',
  requests: [
    { name: 'list', method: 'GET', path: '/orders?limit=10', weight: 12 },
    { name: 'create', method: 'POST', path: '/orders', json: { sku: 'a1', qty: 2 }, weight: 7 },
    { name: 'report', method: 'GET', path: '/report', weight: 1 },
  ],
  workers: { cpus: [1] },
  phases: [
    { name: 'warmup', duration: '3s', connections: 8 },
    { name: 'steady', duration: '10s', rate: 1000 },
  ],
  slo: { p99: '50ms', errorRate: '0.1%' },
  thresholds: { 'steady.p99': '< 50ms', 'errors.rate': '< 0.1%' },
});
