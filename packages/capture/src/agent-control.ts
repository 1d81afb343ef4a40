/**
 * Agent side of the control channel: holds the SSE stream `GET /control`, reconnecting with
 * backoff, and posts messages to `POST /agent`. Sockets are unref'd so the channel never keeps
 * the SUT alive, and a runner that went away only costs a failed connect now and then.
 */
import http from 'node:http';
import type { AgentMessage, ControlMessage } from './types.ts';

/** Posts one message to the runner; failures go to `onError`, never thrown. */
export async function postToRunner(url: string, msg: AgentMessage): Promise<boolean> {
  try {
    const r = await fetch(`${url}/agent`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(msg), signal: AbortSignal.timeout(5_000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** Opens the control stream and calls `onMessage` for each message, for the life of the process. */
export function connectControl(url: string, onMessage: (m: ControlMessage) => void): void {
  let delay = 250;
  const reconnect = () => {
    delay = Math.min(delay * 2, 5_000);
    setTimeout(open, delay).unref();
  };
  const open = () => {
    let retried = false;
    const again = () => { if (!retried) { retried = true; reconnect(); } };
    const req = http.get(`${url}/control`, { agent: false }, (res) => {
      if (res.statusCode !== 200) { res.resume(); again(); return; }
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
            try { onMessage(JSON.parse(line.slice(6)) as ControlMessage); } catch { /* ignore a bad event */ }
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
