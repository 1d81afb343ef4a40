import { defineScenario } from '@headroom/core';

/**
 * The pre-release check of the bundled orders service, as a CI job runs it:
 *   npx headroom check scenarios/release-check.ts --baseline main --repeat 6 --junit results/check.xml
 * A short warm-up, then the expected production peak (600 req/s) held for 8 s: the SLO is
 * judged there, and each run's phases are compared with the baseline's runs.
 * `ORDERS_EXTRA_CPU_US=400` in the service's env plays a release that made every request slower.
 */
export default defineScenario({
  name: 'release-check',
  service: {
    command: ['node', 'examples/orders/server.ts'],
    env: { PORT: '3110', ORDERS_EXTRA_CPU_US: process.env['ORDERS_EXTRA_CPU_US'] ?? '0' },
    ready: 'http://127.0.0.1:3110/health',
    cpus: [0],
  },
  target: 'http://127.0.0.1:3110',
  requests: [
    { name: 'list', method: 'GET', path: '/orders?limit=10', weight: 12 },
    { name: 'create', method: 'POST', path: '/orders', json: { sku: 'a1', qty: 2 }, weight: 7 },
  ],
  workers: { cpus: [1] },
  phases: [
    { name: 'warmup', duration: '2s', rate: 600, warmup: true },
    { name: 'peak', duration: '8s', rate: 600 },
  ],
  expectedPeak: 600,
  slo: { p99: '50ms', errorRate: '0.1%' },
  thresholds: { 'peak.p99': '< 50ms', 'errors.rate': '< 0.1%' },
});
