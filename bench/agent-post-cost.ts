/**
 * What one of the capture agent's POSTs costs its process: the agent's PostClient
 * (packages/capture/src/agent/post-client.ts) against node:http's client with a keep-alive agent
 * (what the agent used before), and a loop that only sleeps, as the agent posts: a few times a
 * second, with the process asleep in between. Each client runs in its own process pinned to
 * CPU 1 and posts a 300-byte JSON body every --gap ms to a node:http receiver on CPU 0 (the
 * receivers' answer: 200 with a Content-Length), --posts times after one unmeasured post; the
 * figure is the process's CPU time (process.cpuUsage) per post. Rounds alternate the order.
 *
 *   node_modules/.bin/node bench/agent-post-cost.ts [--posts 100] [--gap 100] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printHost } from './lib/host.ts';
import { pinned } from './lib/pin.ts';
import { printTable } from './lib/table.ts';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '100' },
    gap: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    client: { type: 'string' },
    port: { type: 'string' },
  },
});

const BODY = Buffer.from(
  JSON.stringify({ type: 'runtime', samples: [{ second_epoch: 1, cpu: 0.5, rss_mb: 120, heap_used_mb: 40, elu: 0.4 }] }).padEnd(300, ' '),
);

// The receivers answer a post with 200 and a Content-Length (capture/src/receive/receivers.ts).
const RECEIVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 }); res.end(); }); });
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port)));
`;

if (values.client !== undefined) await client(values.client, Number(values.port));
else await main();

/** One client process: posts, then prints its CPU µs per post. */
async function client(kind: string, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/agent?token=t`;
  let post: () => Promise<boolean>;
  if (kind === 'post-client') {
    const { PostClient } = await import('../packages/capture/src/agent/post-client.ts');
    const c = new PostClient();
    post = () => c.post(url, 'application/json', BODY, 5000);
  } else if (kind === 'node:http') {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    post = () =>
      new Promise((resolve) => {
        const req = http.request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': BODY.length } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          },
        );
        req.on('error', () => resolve(false));
        req.end(BODY);
      });
  } else post = () => Promise.resolve(true); // sleep only
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The agent's sockets never keep a process alive (its I/O thread's message port does): this does.
  const alive = setInterval(() => undefined, 1 << 30);
  if (!(await post())) throw new Error(`${kind}: the first post failed`);
  const n = Number(values.posts);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    if (!(await post())) throw new Error(`${kind}: post ${i} failed`);
    await sleep(Number(values.gap));
  }
  const d = process.cpuUsage(t0);
  clearInterval(alive);
  process.stdout.write(`${(d.user + d.system) / n}\n`);
}

async function main(): Promise<void> {
  printHost();
  const self = fileURLToPath(import.meta.url);
  const [rcmd, rargs] = pinned([0], [process.execPath, '-e', RECEIVER]);
  const receiver = spawn(rcmd, rargs, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => receiver.stdout.once('data', (d: Buffer) => resolve(Number(d.toString()))));
  const kinds = ['sleep only', 'node:http', 'post-client'];
  const figures = new Map<string, number[]>(kinds.map((k) => [k, []]));
  try {
    for (let r = 0; r < Number(values.rounds); r++)
      for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
        const [cmd, args] = pinned(
          [1],
          [process.execPath, self, '--client', kind, '--port', String(port), '--posts', values.posts!, '--gap', values.gap!],
        );
        const out = await new Promise<string>((resolve, reject) => {
          const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          let s = '';
          c.stdout.on('data', (d: Buffer) => (s += d.toString()));
          c.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`${kind} exited ${code}`))));
        });
        figures.get(kind)!.push(Number(out.trim()));
      }
  } finally {
    receiver.kill();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const sleepOnly = median(figures.get('sleep only')!);
  printTable(
    `CPU µs per post (${values.posts} posts ${values.gap} ms apart, medians of ${values.rounds} rounds; client on CPU 1, receiver on CPU 0)`,
    ['client', 'µs per post', 'above sleeping', 'rounds'],
    kinds.map((k) => {
      const m = median(figures.get(k)!);
      return [
        k,
        m.toFixed(0),
        k === 'sleep only' ? '' : (m - sleepOnly).toFixed(0),
        figures
          .get(k)!
          .map((x) => x.toFixed(0))
          .join(' '),
      ];
    }),
  );
}
