/**
 * The stall server for headroom's latency-truth benchmark: an HTTP server that answers at
 * once, except that every `period` ms it blocks its own event loop for `stall` ms with a
 * busy loop (the way a GC pause or a synchronous JSON.parse of a big payload does). Any
 * request arriving during a stall waits for it to end.
 *
 *   node examples/stall/server.ts [--port 0] [--stall 100] [--period 1000] [--host 127.0.0.1] [--report file.json]
 *
 * Prints one line `listening http://127.0.0.1:<port>` on stdout when ready. With
 * `--report`, it also watches its own event loop with a 1 ms timer and, on SIGTERM,
 * writes every interval in which it could not answer (its planned stalls, plus any gap
 * the OS caused by descheduling it) as `[startEpochMs, endEpochMs]` pairs, so a benchmark
 * can compute the latency truth of what really happened, not only of what was planned.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '0' },
  host: { type: 'string', default: '127.0.0.1' },
  stall: { type: 'string', default: '100' },
  period: { type: 'string', default: '1000' },
  report: { type: 'string' },
} });
const stallMs = Number(values.stall);
const periodMs = Number(values.period);

const body = Buffer.from('ok');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;

const epoch = (): number => performance.timeOrigin + performance.now();
/** Intervals the loop could not run, epoch ms; only kept with --report. */
const blocked: [number, number][] = [];
const GAP_MS = 2;
if (values.report !== undefined) {
  let last = epoch();
  setInterval(() => {
    const now = epoch();
    if (now - last > GAP_MS) blocked.push([last, now]);
    last = now;
  }, 1);
}

// Stalls start on a fixed grid (start + k·period), not "period after the last one ended",
// so their share of time is exactly stall/period however late a timer fires.
let nextStall = performance.now() + periodMs;
function armStall(): void {
  setTimeout(() => {
    const until = performance.now() + stallMs;
    while (performance.now() < until) { /* block the event loop */ }
    nextStall += periodMs;
    armStall();
  }, Math.max(0, nextStall - performance.now()));
}

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening http://${values.host}:${port}\n`);
  if (stallMs > 0) armStall();
});
const stop = (): void => {
  if (values.report !== undefined) writeFileSync(values.report, JSON.stringify({ stallMs, periodMs, blocked }));
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
