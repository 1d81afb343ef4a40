/**
 * One open-model run against nginx, for looking inside the generator (perf, --cpu-prof):
 * nginx on CPU 0, the worker on CPU 1; prints req/s, CPU µs per request, p50/p99 and wakes.
 *
 *   node_modules/.bin/node bench/open-probe.ts [--rate 5000] [--seconds 10] [--connections 64] [--node-args=--cpu-prof] [--idle sleep|poll]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/internal';
import { printHost } from './lib/host.ts';
import { startNginx } from './lib/nginx.ts';
import { plansFor } from './lib/scenario.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    'node-args': { type: 'string', default: '' },
    idle: { type: 'string', default: 'sleep' },
  },
});
const seconds = Number(values.seconds);

/** Voluntary context switches of every thread of `pid` so far (wake-ups from sleep), or null once it is gone. */
function wakeups(pid: number): number | null {
  try {
    let n = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'));
      n += Number(m?.[1] ?? 0);
    }
    return n;
  } catch {
    return null;
  }
}
let lastWakeups = 0;
printHost();
const nginx = await startNginx([0]);
try {
  const phase = { name: 'p', duration: `${seconds}s` as const, rate: Number(values.rate), connections: Number(values.connections) };
  const plans = plansFor({
    name: 'probe',
    target: nginx.url,
    requests: [{ path: '/' }],
    phases: [phase],
    workers: { cpus: [1], count: 1, idle: values.idle as 'sleep' | 'poll' },
  });
  const nodeArgs = values['node-args'] === '' ? [] : values['node-args']!.split(' ');
  const res = await runPlans(plans, {
    cpus: [1],
    nodeArgs,
    onSpawn: (pid) => {
      process.stdout.write(`worker pid ${pid}\n`);
      const poll = setInterval(() => {
        const n = wakeups(pid);
        if (n === null) clearInterval(poll);
        else lastWakeups = n;
      }, 100);
    },
  });
  const h = res.hist.get('p')!;
  const s = summarize(h.hist);
  const cpu = res.ticks.reduce((a, t) => a + t.cpu, 0);
  for (const w of res.warnings) process.stdout.write(`warning: ${w}\n`);
  process.stdout.write(
    `rate ${values.rate}: ${(h.end.requests / seconds).toFixed(0)} req/s, CPU ${((cpu * 1e6) / h.end.requests).toFixed(1)} µs/req, ` +
      `p50 ${s.p50Ms.toFixed(3)} p99 ${s.p99Ms.toFixed(3)} ms, late ${((100 * h.end.lateSends) / h.end.requests).toFixed(1)}%, ` +
      `${(lastWakeups / h.end.requests).toFixed(2)} wake-ups/req (whole run)\n`,
  );
} finally {
  await nginx.stop();
}
