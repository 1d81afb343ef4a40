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
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    stall: { type: 'string', default: '100' },
    period: { type: 'string', default: '1000' },
    report: { type: 'string' },
  },
});
const stallMs = Number(values.stall);
const periodMs = Number(values.period);

// HTTP/1.1 over plain sockets, answering every request with one pre-encoded response.
// node:http costs ~45 µs per request on a small VM; when a stall ends, the requests that
// queued during it are answered one after another, and with node:http that drain (~2 ms
// for 50 requests) added itself to the stall, so the benchmark's truth was no longer the
// stall pattern alone. This answers in a few µs. It understands what load generators
// send: requests without a body, or with a content-length body, pipelined or split
// across reads.
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok', 'latin1');
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

const server = net.createServer({ noDelay: true }, (socket) => {
  let pending = Buffer.alloc(0);
  let bodyLeft = 0;
  socket.on('data', (chunk: Buffer) => {
    let buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let answers = 0;
    for (;;) {
      if (bodyLeft > 0) {
        const n = Math.min(bodyLeft, buf.length);
        bodyLeft -= n;
        buf = buf.subarray(n);
        if (bodyLeft > 0) break;
      }
      const end = buf.indexOf(HEAD_END);
      if (end < 0) break;
      const m = CONTENT_LENGTH.exec(buf.toString('latin1', 0, end));
      bodyLeft = m === null ? 0 : Number(m[1]);
      buf = buf.subarray(end + HEAD_END.length);
      answers++;
    }
    pending = Buffer.from(buf);
    if (answers === 1) socket.write(RESPONSE);
    else if (answers > 1) socket.write(Buffer.concat(Array.from({ length: answers }, () => RESPONSE)));
  });
  socket.on('error', () => socket.destroy());
});

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
  setTimeout(
    () => {
      const until = performance.now() + stallMs;
      while (performance.now() < until) {
        /* block the event loop */
      }
      nextStall += periodMs;
      armStall();
    },
    Math.max(0, nextStall - performance.now()),
  );
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
