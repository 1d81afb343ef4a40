/**
 * The capture agent's network side, run in a worker thread of the SUT (see agent-io.ts):
 * it holds the control stream (`GET /control`, server-sent events, reconnecting with
 * backoff) and makes every POST the agent asks for (post-client.ts). Nothing here runs on
 * the SUT's main thread, so the SUT's own HTTP code never sees the agent's sockets.
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import type { ControlMessage } from '../protocol.ts';
import type { AgentToIo, IoToAgent } from './io.ts';
import { PostClient } from './post-client.ts';

const port = parentPort!;
const { url, token } = workerData as { url: string; token: string };
const send = (m: IoToAgent): void => port.postMessage(m);

// Posts go straight to a kept-alive socket (post-client.ts): node:http's client took ~1.5 ms of
// CPU per post at the few posts a second the thread makes, fetch (undici) several times more.
const client = new PostClient();

port.on('message', (m: AgentToIo) => {
  if (m.type !== 'post') return;
  const raw = typeof m.body === 'string' ? Buffer.from(m.body) : m.body;
  void client.post(m.url, m.contentType, m.gzip ? gzipSync(raw) : raw, m.timeoutMs).then((ok) => send({ type: 'result', id: m.id, ok }));
});

/** Opens the control stream and forwards each message, for the life of the process. */
function connectControl(): void {
  let delay = 250;
  const reconnect = () => {
    delay = Math.min(delay * 2, 5_000);
    setTimeout(open, delay).unref();
  };
  const open = () => {
    let retried = false;
    const again = () => {
      if (!retried) {
        retried = true;
        reconnect();
      }
    };
    const req = http.get(`${url}/control?token=${token}`, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        again();
        return;
      }
      delay = 250;
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          for (const line of event.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            try {
              send({ type: 'control', message: JSON.parse(line.slice(6)) as ControlMessage });
            } catch {
              /* ignore a bad event */
            }
          }
        }
      });
      res.on('end', again);
      res.on('error', () => undefined);
    });
    req.on('socket', (s) => s.unref());
    req.on('error', again);
  };
  open();
}

connectControl();
