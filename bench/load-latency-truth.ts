/**
 * Latency truth: does the generator report the latency users of a stalling server see?
 *
 * examples/stall/server.ts answers at once but blocks its event loop for S ms every P ms.
 * The generator sends an open-model stream at a fixed rate. Analytic truth, for arrivals
 * uncorrelated with the stall grid (an even 2 ms schedule against a 1000 ms period):
 *   - With probability 1 − S/P a request arrives outside a stall and takes the base
 *     latency b (the server's ordinary round trip; we take headroom's measured median).
 *   - With probability S/P it arrives during a stall, at an offset U ~ Uniform(0, S) into
 *     it, and waits the remaining S − U, so its latency is b + (S − U), and S − U is
 *     itself Uniform(0, S).
 *   Hence for x in [0, S]: P(L > b + x) = (S/P)·(S − x)/S = (S − x)/P, and the quantile q
 *   above 1 − S/P solves (S − x)/P = 1 − q:  L_q = b + S − (1 − q)·P.
 *   With S = 100 ms, P = 1000 ms: p50 = b, p95 = b + 50 ms, p99 = b + 90 ms, p99.9 = b + 99 ms.
 * (Ignored second-order effect: requests queued in a stall are served one after another
 * when it ends, adding ≈ rate·U·(per-request server time) — tens of µs each.)
 *
 * Stall server on CPU 0, generators on CPU 1. headroom runs through its real worker
 * process twice: with the default pool (64 connections, sends leave on time) and with a
 * small pool (4 connections, arrivals queue in the generator during a stall — latency
 * still counts from the intended time). Bare autocannon runs with overallRate.
 *
 *   node_modules/.bin/node bench/load-latency-truth.ts [--seconds 20] [--rate 500] [--stall 100] [--period 1000]
 */
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/core';
import type { LatencySummary } from '@headroom/core';
import { startStallServer } from '../examples/stall/start.ts';
import { runAutocannon } from './lib/peers.ts';
import { plansFor } from './lib/scenario.ts';
import { pinned } from './lib/pin.ts';
import { printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '20' }, rate: { type: 'string', default: '500' },
  stall: { type: 'string', default: '100' }, period: { type: 'string', default: '1000' },
} });
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const S = Number(values.stall);
const P = Number(values.period);
const QUANTILES = [50, 95, 99, 99.9] as const;

/** The analytic quantile (ms) of the stall pattern, given the base latency b. */
function truth(q: number, b: number): number {
  const p = q / 100;
  return p <= 1 - S / P ? b : b + S - (1 - p) * P;
}

const pick = (s: LatencySummary): number[] => [s.p50Ms, s.p95Ms, s.p99Ms, s.p999Ms];

async function headroom(url: string, connections: number): Promise<{ corrected: number[]; service: number[]; late: number; requests: number; warnings: string[] }> {
  const plans = plansFor({
    name: 'truth', target: url, requests: [{ path: '/' }], timeout: '5s',
    phases: [{ name: 'load', duration: `${seconds}s`, rate, connections }], workers: { cpus: [1], count: 1 },
  }, 1);
  const res = await runPlans(plans, { cpus: [1] });
  if (res.fatal !== null) throw new Error(res.fatal);
  const h = res.hist.get('load')!;
  return { corrected: pick(summarize(h.hist)), service: pick(summarize(h.serviceHist)), late: h.end.lateSends, requests: h.end.requests, warnings: res.warnings };
}

const [cmd, args] = pinned([0], []);
const server = await startStallServer({ stallMs: S, periodMs: P, prefix: [cmd, ...args] });
try {
  const big = await headroom(server.url, 64);
  const small = await headroom(server.url, 4);
  const ac = await runAutocannon({ url: server.url, connections: 10, seconds, overallRate: rate }, [1]);
  const acRow = [ac.p50Ms, NaN, ac.p99Ms, ac.p999Ms ?? NaN];
  const b = big.service[0]!; // base latency: the median round trip outside stalls
  const t = QUANTILES.map((q) => truth(q, b));
  const err = (v: number, i: number) => (i === 0 || Number.isNaN(v) ? '' : ` (${(((v - t[i]!) / t[i]!) * 100).toFixed(1)}%)`);
  const fmt = (xs: number[]) => xs.map((v, i) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(2)}${err(v, i)}`));
  printTable(`open model ${rate} req/s for ${seconds}s; server stalls ${S}ms every ${P}ms (CPU 0); generators on CPU 1; latency ms (error vs truth)`,
    ['', 'p50', 'p95', 'p99', 'p99.9'], [
      ['truth (analytic)', ...t.map((v) => v.toFixed(2))],
      ['headroom 64 conns, corrected', ...fmt(big.corrected)],
      ['headroom 64 conns, service', ...fmt(big.service)],
      ['headroom 4 conns, corrected', ...fmt(small.corrected)],
      ['headroom 4 conns, service', ...fmt(small.service)],
      ['autocannon (overallRate)', ...fmt(acRow)],
    ]);
  process.stdout.write(`\nrequests: headroom ${big.requests} / ${small.requests}, autocannon ${Math.round(ac.rps * seconds)}; late sends: ${big.late} / ${small.late}\n`);
  for (const w of [...big.warnings, ...small.warnings]) process.stdout.write(`warning: ${w}\n`);
  const within = [1, 2, 3].every((i) => Math.abs(big.corrected[i]! - t[i]!) / t[i]! <= 0.03 && Math.abs(small.corrected[i]! - t[i]!) / t[i]! <= 0.03);
  process.stdout.write(`target headroom corrected within 3% of truth at p95, p99, p99.9: ${within ? 'met' : 'NOT met'}\n`);
} finally {
  await server.stop();
}
