/**
 * The bundled example service: a small orders JSON API that does real work per route.
 * GET /health · GET /orders?limit=N&offset=M · GET /orders/:id · POST /orders · GET /report (heavy);
 * for scripted flows: POST /login · GET /cart · POST /cart · POST /checkout (bearer token, see sessions.ts).
 * Listens on HOST:PORT (default 127.0.0.1:3000). No dependencies; starts in milliseconds.
 * ORDERS_EXTRA_CPU_US=150 adds that much busy CPU time to every request: a regression on
 * demand, which scripts/make-history.ts uses to build a history with a known change point.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { cartOf, login, takeCart, userOf } from './sessions.ts';

interface Order {
  id: number;
  sku: string;
  qty: number;
  unitPrice: number;
  total: number;
  createdAt: number;
  digest: string;
}

const CATALOG: Record<string, number> = { a1: 9.99, b2: 24.5, c3: 3.25, d4: 120, e5: 0.99, f6: 42 };
const SKUS = Object.keys(CATALOG);
/** Orders kept in memory; a ring so a long load test cannot grow the heap without bound. */
const MAX_ORDERS = 5_000;
const MAX_BODY = 64 * 1024;

const orders: Order[] = [];
let nextId = 1;

function addOrder(sku: string, qty: number): Order {
  const unitPrice = CATALOG[sku] as number;
  const total = Math.round(unitPrice * qty * 100) / 100;
  const id = nextId++;
  const digest = createHash('sha1').update(`${id}:${sku}:${qty}`).digest('hex').slice(0, 12);
  const order = { id, sku, qty, unitPrice, total, createdAt: Date.now(), digest };
  if (orders.length >= MAX_ORDERS) orders.shift();
  orders.push(order);
  return order;
}

for (let i = 0; i < 2000; i++) addOrder(SKUS[i % SKUS.length] as string, 1 + (i % 7));

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validateOrder(input: unknown): { sku: string; qty: number } | string {
  if (typeof input !== 'object' || input === null) return 'body must be a JSON object';
  const { sku, qty = 1 } = input as { sku?: unknown; qty?: unknown };
  if (typeof sku !== 'string' || !(sku in CATALOG)) return `sku must be one of ${SKUS.join(', ')}`;
  if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 1000) return 'qty must be an integer 1..1000';
  return { sku, qty };
}

function listOrders(url: URL): unknown {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 10) || 10));
  const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
  const page = orders.slice(Math.max(0, orders.length - offset - limit), orders.length - offset).reverse();
  return { total: orders.length, limit, offset, orders: page };
}

/** The heavy route: aggregates every order per SKU with sorted quantiles and a checksum. */
function buildSalesReport(): unknown {
  const bySku = new Map<string, number[]>();
  for (const o of orders) {
    const list = bySku.get(o.sku) ?? [];
    list.push(o.total);
    bySku.set(o.sku, list);
  }
  const rows = [...bySku.entries()].map(([sku, totals]) => {
    const sorted = [...totals].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    const revenue = sorted.reduce((s, v) => s + v, 0);
    return { sku, orders: sorted.length, revenue: Math.round(revenue * 100) / 100, p50: q(0.5), p90: q(0.9), max: q(1) };
  });
  const checksum = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  return { generatedAt: new Date().toISOString(), skus: rows.sort((a, b) => b.revenue - a.revenue), checksum };
}

/**
 * ORDERS_EXTRA_CPU_US: microseconds of CPU spent on every request except /health, to play a
 * release that made every request slower (the history example and `headroom check`'s
 * regression tests). The service is pinned to a CPU of its own, so spinning is CPU time. 0 = off.
 */
const EXTRA_CPU_US = Math.max(0, Number(process.env['ORDERS_EXTRA_CPU_US'] ?? 0) || 0);

function burnCpu(us: number): void {
  const until = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < until) {
    /* spin: CPU time, as real work would take */
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (EXTRA_CPU_US > 0 && path !== '/health') burnCpu(EXTRA_CPU_US);
  if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true, orders: orders.length });
  if (req.method === 'GET' && path === '/orders') return send(res, 200, listOrders(url));
  if (req.method === 'GET' && path.startsWith('/orders/')) {
    const id = Number(path.slice('/orders/'.length));
    const order = Number.isInteger(id) ? orders.find((o) => o.id === id) : undefined;
    return order ? send(res, 200, order) : send(res, 404, { error: `no order ${path.slice(8)}` });
  }
  if (req.method === 'POST' && path === '/orders') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(req));
    } catch (err) {
      return send(res, 400, { error: `invalid JSON: ${(err as Error).message}` });
    }
    const v = validateOrder(parsed);
    if (typeof v === 'string') return send(res, 422, { error: v });
    return send(res, 201, addOrder(v.sku, v.qty));
  }
  if (req.method === 'GET' && path === '/report') return send(res, 200, buildSalesReport());
  if (req.method === 'POST' && path === '/login') {
    const r = login(JSON.parse((await readBody(req)) || 'null'));
    if (typeof r === 'string') return send(res, 401, { error: r });
    res.setHeader('set-cookie', `session=${r.token}; Path=/; HttpOnly`);
    return send(res, 200, { token: r.token });
  }
  if (path === '/cart' || path === '/checkout') {
    const user = userOf(req.headers.authorization);
    if (user === null) return send(res, 401, { error: 'missing or invalid bearer token' });
    if (req.method === 'GET' && path === '/cart') return send(res, 200, { items: cartOf(user) });
    if (req.method === 'POST' && path === '/cart') {
      const v = validateOrder(JSON.parse((await readBody(req)) || 'null'));
      if (typeof v === 'string') return send(res, 422, { error: v });
      cartOf(user).push(v);
      return send(res, 201, { items: cartOf(user) });
    }
    if (req.method === 'POST' && path === '/checkout') {
      const items = takeCart(user);
      if (items.length === 0) return send(res, 409, { error: 'the cart is empty' });
      return send(res, 201, { orders: items.map((i) => addOrder(i.sku, i.qty).id) });
    }
  }
  if (req.method === 'POST' && path === '/crash') {
    // Test hook: lets end-to-end tests kill the service mid-run. Off unless asked for.
    if (process.env['ORDERS_ALLOW_CRASH'] === '1') {
      send(res, 200, { crashing: true });
      setTimeout(() => process.exit(70), 5);
      return;
    }
  }
  send(res, 404, { error: `no route ${req.method} ${path}` });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: Error) => {
    if (!res.headersSent) send(res, 500, { error: err.message });
  });
});
server.keepAliveTimeout = 65_000;
const port = Number(process.env['PORT'] ?? 3000);
const host = process.env['HOST'] ?? '127.0.0.1';
server.listen(port, host, () => console.log(`orders listening on http://${host}:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
