import { csv, defineScenario } from '@headroom/core';

/**
 * Scripted load on the bundled orders service: users from scenarios/data/users.csv log in,
 * browse, fill a cart and check out. Each VU keeps its connection and cookies; the token from
 * /login rides on every later request. Closed-model warm-up, then an open-model phase where
 * each arrival starts one iteration of a flow (k6's arrival-rate executors).
 */
export default defineScenario({
  name: 'flows',
  service: {
    command: ['node', 'examples/orders/server.ts'],
    env: { PORT: '3101' },
    ready: 'http://127.0.0.1:3101/health',
    cpus: [0],
  },
  target: 'http://127.0.0.1:3101',
  data: { users: csv('data/users.csv', { pick: 'unique-per-vu' }) },
  flows: {
    browse: {
      weight: 3,
      fn: async (vu) => {
        await vu.get(`/orders?limit=10&offset=${Math.floor(vu.random() * 50)}`, {
          name: 'list',
          check: { 'list is 200': (r) => r.status === 200 },
        });
        const id = 1 + Math.floor(vu.random() * 20);
        await vu.get(`/orders/${id}`, { check: { 'order found or gone': (r) => r.status === 200 || r.status === 404 } });
      },
    },
    checkout: async (vu) => {
      const { user, password } = vu.data.users as { user: string; password: string };
      const login = await vu.post('/login', { json: { user, password }, name: 'login', check: { 'logged in': (r) => r.status === 200 } });
      const auth = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
      await vu.post('/cart', { json: { sku: 'b2', qty: 1 + (vu.iteration % 3) }, headers: auth, name: 'add to cart' });
      await vu.get('/cart', {
        headers: auth,
        name: 'cart',
        check: { 'cart has items': (r) => r.json<{ items: unknown[] }>().items.length > 0 },
      });
      await vu.sleep('50ms');
      await vu.post('/checkout', { headers: auth, name: 'checkout', check: { 'order placed': (r) => r.status === 201 } });
    },
  },
  workers: { cpus: [1] },
  phases: [
    { name: 'warmup', duration: '3s', connections: 8 },
    { name: 'steady', duration: '10s', rate: 200, connections: 16, maxVus: 64 },
  ],
  slo: { p99: '50ms', errorRate: '0.1%' },
  thresholds: {
    'steady.p99': '< 50ms',
    'steady{name:checkout}.p99': '< 50ms',
    'checks.rate': '> 99%',
    'checks{check:order placed}.rate': '> 99%',
  },
});
