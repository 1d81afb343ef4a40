/**
 * The open model's latency floor and cost against the wire (issue 17 items 1-2), in one run:
 * per round, `wrk -t1 -c1 --latency` (the real round trip, back to back), the headroom engine's
 * closed model at saturation (10 connections) and its open model at each rate. nginx
 * (`return 200`) on CPU 0, every generator on CPU 1. Rounds reverse the order of the runs, so
 * drift of this shared VM hits all alike; the tables give medians over rounds.
 *
 * Targets: open-model p50 at 200 and 5,000 req/s within 2x wrk -c1's p50 and p99 within
 * wrk's p99 + 1 ms; CPU per request at 5,000 req/s at most 2x the closed model's at saturation.
 * Beside the latencies: the generator's own wake-up delay (the ticks' `wakeDelayUs`, the median
 * lateness of its precise-timer wakes, recorder.ts) and nginx's CPU per request from /proc, a
 * calibration of the host: what serving a request costs the service when it sleeps between
 * requests, against the closed model that never lets it sleep.
 *
 * --wrk2 <path to a wrk2 build> also runs wrk2 (github.com/giltene/wrk2, the open-model C peer) at
 * each rate with the same connections: what an evenly paced generator without JavaScript gets
 * for latency and pays per request on this host.
 *
 * --baseline <checkout> also runs, in each round, the open model at each rate with another
 * checkout's load worker (its packages/load/src/worker-main.ts): before/after from one invocation.
 *
 *   node_modules/.bin/node bench/load-open-model.ts [--seconds 5] [--rounds 3] [--rates 200,1000,5000,20000] [--connections 64] [--poll-rates 200,5000] [--baseline <dir>] [--wrk2 <bin>]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/internal';
import type { PhaseInput } from '@headroom/core';
import { printHost, stealCell, withSteal, type BenchSteal } from './lib/host.ts';
import { cpuUs } from './lib/proc.ts';
import { startNginx } from './lib/nginx.ts';
import { runWrk, runWrk2, runWrkPaced } from './lib/peers.ts';
import { plansFor } from './lib/scenario.ts';
import { ms, printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '200,1000,5000,20000' },
    connections: { type: 'string', default: '64' },
    'poll-rates': { type: 'string', default: '200,5000' },
    baseline: { type: 'string' },
    wrk2: { type: 'string' },
  },
});
const BASE_ENTRY = values.baseline === undefined ? undefined : join(values.baseline, 'packages/load/src/worker-main.ts');
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const rates = values.rates!.split(',').map(Number);
/** Rates also run with workers.idle 'poll' (the worker's CPU never idles; its CPU figure is the poll's). */
const pollRates = values['poll-rates'] === '' ? [] : values['poll-rates']!.split(',').map(Number);
const GEN = [1];
/**
 * The paced wrk runs, [connections, think time ms]: a C generator that sleeps between requests and
 * is woken per response, at about 200, 700 and 3,500 req/s. At 200 req/s nginx sleeps between
 * requests too, so its wake-up is in every latency, as it is in the open model's at that rate
 * (wrk -c1 never lets either side sleep): the like-for-like floor for a sparse rate.
 */
const PACED: [number, number][] = [
  [1, 5],
  [1, 1],
  [5, 1],
];
const pacedName = ([c, think]: [number, number]): string => `wrk paced c${c}${think === 1 ? '' : ` ${think}ms`}`;

interface Figures {
  p50: number;
  p99: number;
  sp50: number;
  sp99: number;
  usPerReq: number;
  rps: number;
  late: number;
  floorUs: number | null;
  nginxUs: number;
}

/** A C peer's figures in one round. */
interface Peer {
  p50: number;
  p99: number;
  usPerReq: number;
  rps: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function headroom(url: string, rate: number | null, nginxPid: number, entry?: string, poll = false): Promise<Figures> {
  const duration = `${seconds}s` as const;
  const phase: PhaseInput =
    rate === null ? { name: 'p', duration, connections: 10 } : { name: 'p', duration, rate, connections: Number(values.connections) };
  const plans = plansFor({
    name: 'open-model',
    target: url,
    requests: [{ path: '/' }],
    phases: [phase],
    workers: { cpus: GEN, count: 1, ...(poll ? { idle: 'poll' as const } : {}) },
  });
  let n0 = 0;
  const res = await runPlans(plans, {
    cpus: GEN,
    ...(entry === undefined ? {} : { entry }),
    onSpawn: () => {
      setTimeout(
        () => {
          n0 = cpuUs(nginxPid) ?? NaN;
        },
        Math.max(0, plans[0]!.startAt - Date.now()),
      );
    },
  });
  const nginxUs = (cpuUs(nginxPid) ?? NaN) - n0;
  if (res.fatal !== null) throw new Error(res.fatal);
  const h = res.hist.get('p')!;
  const s = summarize(h.hist);
  const sv = summarize(h.serviceHist);
  const cpu = res.ticks.reduce((a, t) => a + t.cpu, 0);
  const floors = res.ticks.map((t) => (t as { wakeDelayUs?: number }).wakeDelayUs).filter((x): x is number => typeof x === 'number');
  for (const w of res.warnings) process.stderr.write(`warning (${rate ?? 'closed'}): ${w}\n`);
  return {
    p50: s.p50Ms,
    p99: s.p99Ms,
    sp50: sv.p50Ms,
    sp99: sv.p99Ms,
    usPerReq: (cpu * 1e6) / h.end.requests,
    rps: h.end.requests / seconds,
    late: h.end.lateSends / Math.max(1, h.end.requests),
    floorUs: floors.length ? median(floors) : null,
    nginxUs: nginxUs / h.end.requests,
  };
}

printHost();
const nginx = await startNginx([0]);
try {
  await runWrk(nginx.url, 1, 1, GEN); // warm nginx and the socket paths, unmeasured
  const wrk: { p50: number; p99: number; usPerReq: number; rps: number }[] = [];
  const closed: Figures[] = [];
  const paced = new Map<string, Peer[]>(PACED.map((x) => [pacedName(x), []]));
  const open = new Map<number, Figures[]>(rates.map((r) => [r, []]));
  const base = new Map<number, Figures[]>(rates.map((r) => [r, []]));
  const polled = new Map<number, Figures[]>(pollRates.map((r) => [r, []]));
  const WRK2 = values.wrk2;
  const wrk2 = new Map<number, Peer[]>(rates.map((r) => [r, []]));
  /** Per row, the host's steal during each round's run of it. */
  const steals = new Map<string, BenchSteal[]>();
  const labelled = (label: string, fn: () => Promise<void>) => async () => {
    const { steal } = await withSteal(fn);
    steals.set(label, [...(steals.get(label) ?? []), steal]);
  };
  for (let r = 0; r < rounds; r++) {
    const steps: (() => Promise<void>)[] = [
      labelled('wrk -c1', async () => {
        const w = await runWrk(nginx.url, 1, seconds, GEN);
        wrk.push({ p50: w.p50Ms, p99: w.p99Ms, usPerReq: w.cpuUsPerReq, rps: w.rps });
      }),
      labelled('closed 10c', async () => {
        closed.push(await headroom(nginx.url, null, nginx.pid));
      }),
      ...PACED.map((x) =>
        labelled(pacedName(x), async () => {
          const w = await runWrkPaced(nginx.url, x[0], x[1], seconds, GEN);
          paced.get(pacedName(x))!.push({ p50: w.p50Ms, p99: w.p99Ms, usPerReq: w.cpuUsPerReq, rps: w.rps });
        }),
      ),
      ...rates.map((rate) =>
        labelled(`open ${rate}`, async () => {
          open.get(rate)!.push(await headroom(nginx.url, rate, nginx.pid));
        }),
      ),
      ...pollRates.map((rate) =>
        labelled(`open ${rate} poll`, async () => {
          polled.get(rate)!.push(await headroom(nginx.url, rate, nginx.pid, undefined, true));
        }),
      ),
      ...(WRK2 === undefined
        ? []
        : rates.map((rate) =>
            labelled(`wrk2 ${rate}`, async () => {
              const w = await runWrk2(WRK2, nginx.url, Number(values.connections), rate, seconds, GEN);
              wrk2.get(rate)!.push({ p50: w.p50Ms, p99: w.p99Ms, usPerReq: w.cpuUsPerReq, rps: w.rps });
            }),
          )),
      ...(BASE_ENTRY === undefined
        ? []
        : rates.map((rate) =>
            labelled(`open ${rate} (baseline)`, async () => {
              base.get(rate)!.push(await headroom(nginx.url, rate, nginx.pid, BASE_ENTRY));
            }),
          )),
    ];
    for (const step of r % 2 === 0 ? steps : steps.reverse()) await step();
  }
  const m = (xs: Figures[], k: keyof Figures): number => median(xs.map((x) => x[k] as number));
  const wp50 = median(wrk.map((w) => w.p50));
  const wp99 = median(wrk.map((w) => w.p99));
  const closedUs = m(closed, 'usPerReq');
  /** A C peer's row: its latencies and CPU per request, the closed model's multiple. */
  const peerRow = (name: string, xs: Peer[]): (string | number)[] => {
    const mm = (k: keyof Peer): number => median(xs.map((x) => x[k]));
    return [
      name,
      Math.round(mm('rps')),
      ms(mm('p50')),
      ms(mm('p99')),
      '',
      '',
      '',
      '',
      mm('usPerReq').toFixed(1),
      (mm('usPerReq') / closedUs).toFixed(2),
      '',
    ];
  };
  const floorOf = (xs: Figures[]): string => {
    const f = xs.map((x) => x.floorUs).filter((x): x is number => x !== null);
    return f.length ? (median(f) / 1000).toFixed(3) : '-';
  };
  /** The median steal of a row's rounds, generator/service (the host's share of CPU 1 / CPU 0). */
  const stealOfRow = (row: (string | number)[]): string => {
    const xs = steals.get(String(row[0])) ?? [];
    return xs.length === 0 ? '' : stealCell({ generator: median(xs.map((x) => x.generator)), service: median(xs.map((x) => x.service)) });
  };
  const withStealColumn = (rows: (string | number)[][]) => rows.map((row) => [...row, stealOfRow(row)]);
  printTable(
    `medians of ${rounds} rounds of ${seconds}s; nginx on CPU 0, generators on CPU 1; latency ms; steal: the hypervisor's share of CPU 1 / CPU 0`,
    [
      'run',
      'req/s',
      'p50',
      'p99',
      'service p50',
      'service p99',
      'wake delay',
      'late >1ms',
      'CPU µs/req',
      'x closed',
      'nginx µs/req',
      'steal gen/svc',
    ],
    withStealColumn([
      [
        'wrk -c1',
        Math.round(median(wrk.map((w) => w.rps))),
        ms(wp50),
        ms(wp99),
        '',
        '',
        '',
        '',
        median(wrk.map((w) => w.usPerReq)).toFixed(1),
        '',
        '',
      ],
      ...PACED.map((x) => peerRow(pacedName(x), paced.get(pacedName(x))!)),
      [
        'closed 10c',
        Math.round(m(closed, 'rps')),
        ms(m(closed, 'p50')),
        ms(m(closed, 'p99')),
        '',
        '',
        floorOf(closed),
        '',
        closedUs.toFixed(1),
        '1.00',
        m(closed, 'nginxUs').toFixed(1),
      ],
      ...rates.filter(() => WRK2 !== undefined).map((rate) => peerRow(`wrk2 ${rate}`, wrk2.get(rate)!)),
      ...[
        ...rates.map((rate) => [`open ${rate}`, open.get(rate)!] as const),
        ...pollRates.map((rate) => [`open ${rate} poll`, polled.get(rate)!] as const),
        ...rates.filter(() => BASE_ENTRY !== undefined).map((rate) => [`open ${rate} (baseline)`, base.get(rate)!] as const),
      ].map(([name, xs]) => [
        name,
        Math.round(m(xs, 'rps')),
        ms(m(xs, 'p50')),
        ms(m(xs, 'p99')),
        ms(m(xs, 'sp50')),
        ms(m(xs, 'sp99')),
        floorOf(xs),
        `${(100 * m(xs, 'late')).toFixed(1)}%`,
        m(xs, 'usPerReq').toFixed(1),
        (m(xs, 'usPerReq') / closedUs).toFixed(2),
        m(xs, 'nginxUs').toFixed(1),
      ]),
    ]),
  );
  process.stdout.write(`\nper round p50/p99 ms: wrk ${wrk.map((w) => `${ms(w.p50)}/${ms(w.p99)}`).join(' ')}\n`);
  for (const rate of rates)
    process.stdout.write(
      `  open ${rate}: ${open
        .get(rate)!
        .map((x, i) => `${ms(x.p50)}/${ms(x.p99)} ${x.usPerReq.toFixed(0)}µs steal ${stealCell(steals.get(`open ${rate}`)![i]!)}`)
        .join('  ')}\n`,
    );
  if (BASE_ENTRY !== undefined)
    for (const rate of rates)
      process.stdout.write(
        `  baseline ${rate}: ${base
          .get(rate)!
          .map((x) => `${ms(x.p50)}/${ms(x.p99)} ${x.usPerReq.toFixed(0)}µs`)
          .join('  ')}\n`,
      );
  for (const [rate, xs, how] of [
    ...rates.filter((x) => x === 200 || x === 5000).map((r) => [r, open.get(r)!, 'sleep'] as const),
    ...pollRates.filter((x) => x === 200 || x === 5000).map((r) => [r, polled.get(r)!, 'poll'] as const),
  ]) {
    const p50ok = m(xs, 'p50') <= 2 * wp50;
    const p99ok = m(xs, 'p99') <= wp99 + 1;
    process.stdout.write(
      `target at ${rate} req/s (${how}): p50 ≤ 2x wrk (${ms(m(xs, 'p50') / wp50)}x) ${p50ok ? 'met' : 'NOT met'}; p99 ≤ wrk + 1 ms (+${ms(m(xs, 'p99') - wp99)} ms) ${p99ok ? 'met' : 'NOT met'}\n`,
    );
  }
  if (open.has(200)) {
    // Against the C client that sleeps between requests at about the same rate (both sides wake per request).
    const sparse = paced.get(pacedName(PACED[0]!))!;
    const p50 = median(sparse.map((x) => x.p50));
    process.stdout.write(
      `at 200 req/s beside ${pacedName(PACED[0]!)} (${Math.round(median(sparse.map((x) => x.rps)))} req/s, p50 ${ms(p50)} ms): headroom's p50 ${ms(m(open.get(200)!, 'p50') / p50)}x\n`,
    );
  }
  if (WRK2 !== undefined)
    for (const rate of rates) {
      const xs = wrk2.get(rate)!;
      const p50 = median(xs.map((x) => x.p50));
      const cpu = median(xs.map((x) => x.usPerReq));
      process.stdout.write(
        `headroom / wrk2 at ${rate} req/s: p50 ${ms(m(open.get(rate)!, 'p50') / p50)}x, p99 ${ms(m(open.get(rate)!, 'p99') / median(xs.map((x) => x.p99)))}x, CPU per request ${(m(open.get(rate)!, 'usPerReq') / cpu).toFixed(2)}x; wrk2's p50 ${ms(p50 / wp50)}x wrk -c1's, its CPU per request ${(cpu / closedUs).toFixed(2)}x the closed model's\n`,
      );
    }
  if (open.has(5000)) {
    const x = m(open.get(5000)!, 'usPerReq') / closedUs;
    process.stdout.write(
      `target CPU per request at 5000 req/s ≤ 2x closed at saturation: ${x.toFixed(2)}x ${x <= 2 ? 'met' : 'NOT met'}\n`,
    );
  }
} finally {
  await nginx.stop();
}
