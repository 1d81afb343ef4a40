/**
 * Throughput of the headroom engine against wrk and bare autocannon, same run, same box.
 * nginx (`return 200 'ok'`, 1 worker) pinned to CPU 0; every generator pinned to CPU 1;
 * closed model, 10 connections, 5 s each. The headroom engine runs through its real
 * worker process and protocol (bench/lib/worker-harness.ts), as the runner drives it.
 *
 * Rounds alternate the order of the engines (ABC, then CBA), so drift in the host's
 * speed during a round hits every engine alike; the verdict uses the median of the
 * per-round ratios headroom/wrk, each from two runs seconds apart (a paired comparison,
 * which this VM's run-to-run swings of ±20% would otherwise swamp).
 *
 *   node_modules/.bin/node bench/load-throughput.ts [--seconds 5] [--connections 10] [--rounds 6] [--cpu-prof]
 */
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/internal';
import { startNginx } from './lib/nginx.ts';
import { runAutocannon, runWrk } from './lib/peers.ts';
import type { PeerResult } from './lib/peers.ts';
import { plansFor } from './lib/scenario.ts';
import { ms, printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';
import { printHost } from './lib/host.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '6' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const SUT_CPU = [0];
const GEN_CPU = [1];

const rounds = Number(values.rounds);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One run of the headroom engine through its real worker process. */
async function headroomRun(url: string): Promise<PeerResult & { cpu: number[]; errors: number; warnings: string[] }> {
  const plans = plansFor({
    name: 'throughput',
    target: url,
    requests: [{ path: '/' }],
    phases: [{ name: 'load', duration: `${seconds}s`, connections }],
    workers: { cpus: GEN_CPU, count: 1 },
  });
  const res = await runPlans(plans, { cpus: GEN_CPU, nodeArgs: values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir=results/prof'] : [] });
  if (res.fatal !== null) throw new Error(res.fatal);
  const h = res.hist.get('load')!;
  const s = summarize(h.hist);
  const cpu = res.ticks.map((t) => t.cpu);
  return {
    rps: h.end.requests / seconds,
    p50Ms: s.p50Ms,
    p95Ms: s.p95Ms,
    p99Ms: s.p99Ms,
    p999Ms: s.p999Ms,
    cpuUsPerReq: (cpu.reduce((a, b) => a + b, 0) * 1e6) / h.end.requests,
    cpu,
    errors: Object.values(h.end.errors).reduce((a, b) => a + (b ?? 0), 0),
    warnings: res.warnings,
  };
}

printHost();
const nginx = await startNginx(SUT_CPU);
try {
  await runWrk(nginx.url, connections, 1, GEN_CPU); // warm nginx and the kernel's socket paths, unmeasured
  const all: Record<'headroom' | 'wrk' | 'autocannon', PeerResult[]> = { headroom: [], wrk: [], autocannon: [] };
  const perRound: (string | number)[][] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const forward = r % 2 === 0;
    let h: Awaited<ReturnType<typeof headroomRun>> | undefined;
    let a: PeerResult | undefined;
    if (forward) h = await headroomRun(nginx.url);
    else a = await runAutocannon({ url: nginx.url, connections, seconds }, GEN_CPU);
    const w = await runWrk(nginx.url, connections, seconds, GEN_CPU);
    if (forward) a = await runAutocannon({ url: nginx.url, connections, seconds }, GEN_CPU);
    else h = await headroomRun(nginx.url);
    if (h === undefined || a === undefined) throw new Error('unreachable');
    all.headroom.push(h);
    all.wrk.push(w);
    all.autocannon.push(a);
    ratios.push(h.rps / w.rps);
    cpuRatios.push(h.cpuUsPerReq / w.cpuUsPerReq);
    perRound.push([
      r + 1,
      forward ? 'h w a' : 'a w h',
      Math.round(h.rps),
      Math.round(w.rps),
      Math.round(a.rps),
      (h.rps / w.rps).toFixed(2),
      h.cpuUsPerReq.toFixed(2),
      w.cpuUsPerReq.toFixed(2),
      h.errors,
    ]);
    for (const m of h.warnings) process.stdout.write(`warning: ${m}\n`);
  }
  printTable(
    'per round (req/s)',
    ['round', 'order', 'headroom', 'wrk', 'autocannon', 'x wrk', 'headroom µs/req', 'wrk µs/req', 'errors'],
    perRound,
  );
  const wrkRps = median(all.wrk.map((x) => x.rps));
  const row = (name: string, xs: PeerResult[]): (string | number)[] => {
    const rps = median(xs.map((x) => x.rps));
    return [
      name,
      Math.round(rps),
      ms(median(xs.map((x) => x.p50Ms))),
      ms(median(xs.map((x) => x.p99Ms))),
      (rps / wrkRps).toFixed(2),
      Math.round(Math.max(...xs.map((x) => x.rps))),
      median(xs.map((x) => x.cpuUsPerReq)).toFixed(1),
    ];
  };
  printTable(
    `closed model, ${connections} connections, ${seconds}s x ${rounds} rounds (medians), nginx on CPU ${SUT_CPU.join(',')}, generators on CPU ${GEN_CPU.join(',')}`,
    ['engine', 'req/s', 'p50 ms', 'p99 ms', 'x wrk', 'best req/s', 'CPU µs/req'],
    [row('headroom', all.headroom), row('wrk', all.wrk), row('autocannon', all.autocannon)],
  );
  const ratio = median(ratios);
  process.stdout.write(
    `\nheadroom / wrk per round: ${ratios.map((x) => x.toFixed(2)).join(' ')}; CPU per request, headroom / wrk: ${cpuRatios.map((x) => x.toFixed(2)).join(' ')}\n`,
  );
  process.stdout.write(
    `ratio of the medians: ${(median(all.headroom.map((x) => x.rps)) / wrkRps).toFixed(2)}x; median of the per-round ratios: ${ratio.toFixed(2)}x; CPU per request ${median(cpuRatios).toFixed(2)}x wrk's\n`,
  );
  process.stdout.write(
    `target headroom >= 0.9x wrk (median of per-round ratios): ${ratio >= 0.9 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)\n`,
  );
} finally {
  await nginx.stop();
}
