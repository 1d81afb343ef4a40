/**
 * Generator memory over a long run: RSS of the headroom worker process, sampled every
 * second from /proc/<pid>/status while it drives an open model at a high rate against
 * nginx. Per-second and per-phase state is two histograms per phase and the arrival
 * queue is an index, so RSS must stay flat however long the run.
 *
 *   node_modules/.bin/node bench/load-memory.ts [--seconds 300] [--rate 10000] [--connections 64] [--bare-node]
 *
 * --bare-node spawns the worker without WORKER_NODE_ARGS (V8's default young generation);
 * --node-args="<flags>" replaces them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/internal';
import { WORKER_NODE_ARGS } from '@headroom/load';
import { startNginx } from './lib/nginx.ts';
import { plansFor } from './lib/scenario.ts';
import { printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';
import { printHost } from './lib/host.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    'bare-node': { type: 'boolean', default: false },
    'node-args': { type: 'string' },
    rate: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '64' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

printHost();
const nginx = await startNginx([0]);
try {
  const samples: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const plans = plansFor({
    name: 'memory',
    target: nginx.url,
    requests: [{ path: '/' }],
    phases: [{ name: 'load', duration: `${seconds}s`, rate, connections: Number(values.connections) }],
    workers: { cpus: [1], count: 1 },
  });
  const res = await runPlans(plans, {
    cpus: [1],
    bareNode: values['bare-node'],
    ...(values['node-args'] !== undefined ? { workerNodeArgs: values['node-args'].split(' ').filter(Boolean) } : {}),
    onSpawn: (pid) => {
      // Sample from the common start on, once a second.
      setTimeout(
        () => {
          timer = setInterval(() => {
            const v = rssMb(pid);
            if (v !== null) samples.push(v);
          }, 1000);
        },
        Math.max(0, plans[0]!.startAt - Date.now()),
      );
    },
  });
  clearInterval(timer);
  if (res.fatal !== null) throw new Error(res.fatal);
  const h = res.hist.get('load')!;
  const s = summarize(h.hist);
  const body = samples.slice(0, seconds); // drop samples taken while draining/exiting
  const start = body[0] ?? NaN;
  const end = body.at(-1) ?? NaN;
  const min = Math.min(...body);
  const max = Math.max(...body);
  const afterWarm = body.slice(Math.min(10, body.length - 1));
  printTable(
    `headroom worker RSS (MB), open model ${rate} req/s for ${seconds}s against nginx (CPU 0), worker on CPU 1, node flags: ${values['bare-node'] ? 'none' : (values['node-args'] ?? WORKER_NODE_ARGS.join(' '))}`,
    ['start', 'min', 'max', 'end', 'max-min', 'max-min after 10s'],
    [
      [
        start.toFixed(1),
        min.toFixed(1),
        max.toFixed(1),
        end.toFixed(1),
        (max - min).toFixed(1),
        (Math.max(...afterWarm) - Math.min(...afterWarm)).toFixed(1),
      ],
    ],
  );
  const errors = Object.values(h.end.errors).reduce((a, b) => a + (b ?? 0), 0);
  process.stdout.write(
    `\nrequests ${h.end.requests} (achieved ${(h.end.requests / seconds).toFixed(0)} req/s of ${rate}), errors ${errors}, late sends ${h.end.lateSends}, p50 ${s.p50Ms.toFixed(3)}ms p99 ${s.p99Ms.toFixed(3)}ms\n`,
  );
  process.stdout.write(
    `RSS every 10 s: ${body
      .filter((_, i) => i % 10 === 0)
      .map((v) => v.toFixed(0))
      .join(' ')}\n`,
  );
  for (const w of res.warnings) process.stdout.write(`warning: ${w}\n`);
  process.stdout.write(`target flat within 20 MB: ${max - min <= 20 ? 'met' : 'NOT met'}\n`);
} finally {
  await nginx.stop();
}
