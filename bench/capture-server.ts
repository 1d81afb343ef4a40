/** The service the capture-overhead benchmark loads: node:http, a small JSON body per request. */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Iterations of busy work per request (WORK env), to model handlers heavier than a JSON echo. */
const WORK = Number(process.env['WORK'] ?? 0);

function work(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc * 31 + i) >>> 0;
  return acc;
}

const items = Array.from({ length: 20 }, (_, i) => ({ id: i, sku: `sku-${i}`, qty: i % 7, price: 9.99 + i }));

const server = http.createServer((req, res) => {
  const limit = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 10);
  const body = JSON.stringify({ orders: items.slice(0, limit), total: limit, check: WORK > 0 ? work(WORK) : 0 });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
// LOOP_DELAY_MS=N: every N ms, `loopdelay <epoch ms> <max delay ns>` on stdout (bench/capture-phase-stall.ts).
const loopEvery = Number(process.env['LOOP_DELAY_MS'] ?? 0);
if (loopEvery > 0) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  setInterval(() => {
    process.stdout.write(`loopdelay ${Date.now()} ${h.max}\n`);
    h.reset();
  }, loopEvery).unref();
}

server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
