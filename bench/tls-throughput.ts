/**
 * HTTPS: the headroom engine against wrk on nginx with a self-signed certificate (made here by
 * openssl, RSA 2048), same run, same box. nginx (`return 200 'ok'`, 1 worker, sessions
 * resumable) pinned to CPU 0; every generator pinned to CPU 1. The headroom engine runs through
 * its real worker process and protocol (bench/lib/worker-harness.ts), with `insecure: true`.
 *
 * Closed model at saturation (10 connections): headroom and wrk in alternating order, rounds
 * paired. Open model at a couple of rates: headroom only (Debian's wrk has no open model),
 * achieved rate, latency from the intended send time, late sends and CPU per request.
 *
 * Over TLS the engine writes through the TLS socket's `write` (connection.ts): a first version
 * wrote straight to the TLSWrap handle as plain TCP does (direct-write.ts); in this bench it
 * saved no CPU (10.6 vs 9.4 µs/req, medians of 3 rounds) and aborted node in the open model
 * (TLSWrap::DoWrite `!current_write_`: a write landed on one TLSWrap had not finished).
 *
 *   node_modules/.bin/node bench/tls-throughput.ts [--seconds 5] [--connections 10] [--rounds 4] [--rates 2000,6000]
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summarize } from '@headroom/internal';
import { makeTestCertificates } from '@headroom/load/test-certs';
import { printHost } from './lib/host.ts';
import { startNginx } from './lib/nginx.ts';
import { runWrk, type PeerResult } from './lib/peers.ts';
import { plansFor } from './lib/scenario.ts';
import { ms, printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '4' },
    rates: { type: 'string', default: '2000,6000' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const rates = values.rates.split(',').map(Number);
const SUT_CPU = [0];
const GEN_CPU = [1];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface HeadroomResult extends PeerResult {
  errors: number;
  lateSends: number;
  warnings: string[];
}

/** One run of the headroom engine through its real worker process. */
async function headroomRun(
  url: string,
  phase: { connections: number } | { rate: number; connections: number },
  tls: { resume?: boolean; groups?: string } = {},
): Promise<HeadroomResult> {
  const plans = plansFor({
    name: 'tls-throughput',
    target: { url, tls: { insecure: true, ...tls } },
    requests: [{ path: '/' }],
    // Open model: a 1 s warm-up at the same rate makes the pool's full handshakes; the measured phase's fresh pool resumes them.
    phases: [
      ...('rate' in phase ? [{ name: 'warmup', duration: '1s' as const, ...phase }] : []),
      { name: 'load', duration: `${seconds}s`, ...phase },
    ],
    workers: { cpus: GEN_CPU, count: 1 },
  });
  const res = await runPlans(plans, { cpus: GEN_CPU });
  if (res.fatal !== null) throw new Error(res.fatal);
  const h = res.hist.get('load');
  if (h === undefined) throw new Error(`the worker ended without a load phase (exit ${res.exitCode})`);
  const s = summarize(h.hist);
  const cpu = res.ticks.filter((t) => t.phase === 'load').map((t) => t.cpu);
  return {
    rps: h.end.requests / seconds,
    p50Ms: s.p50Ms,
    p95Ms: s.p95Ms,
    p99Ms: s.p99Ms,
    p999Ms: s.p999Ms,
    cpuUsPerReq: (cpu.reduce((a, b) => a + b, 0) * 1e6) / h.end.requests,
    errors: Object.values(h.end.errors).reduce((a, b) => a + (b ?? 0), 0),
    lateSends: h.end.lateSends,
    warnings: res.warnings,
  };
}

printHost();
const certs = makeTestCertificates({ key: 'rsa' });
const nginx = await startNginx(SUT_CPU, { cert: certs.selfSignedCert, key: certs.selfSignedKey });
process.stdout.write(
  `nginx ${nginx.url} (self-signed RSA 2048, TLS 1.3) on CPU ${SUT_CPU.join(',')}; generators on CPU ${GEN_CPU.join(',')}\n`,
);
try {
  await runWrk(nginx.url, connections, 1, GEN_CPU); // warm nginx, unmeasured
  const all: Record<'headroom' | 'wrk', PeerResult[]> = { headroom: [], wrk: [] };
  const perRound: (string | number)[][] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const forward = r % 2 === 0;
    let h: HeadroomResult | undefined;
    if (forward) h = await headroomRun(nginx.url, { connections });
    const w = await runWrk(nginx.url, connections, seconds, GEN_CPU);
    if (!forward) h = await headroomRun(nginx.url, { connections });
    if (h === undefined) throw new Error('unreachable');
    for (const m of h.warnings) process.stdout.write(`warning (round ${r + 1}): ${m}\n`);
    all.headroom.push(h);
    all.wrk.push(w);
    ratios.push(h.rps / w.rps);
    cpuRatios.push(h.cpuUsPerReq / w.cpuUsPerReq);
    perRound.push([
      r + 1,
      forward ? 'h w' : 'w h',
      Math.round(h.rps),
      Math.round(w.rps),
      (h.rps / w.rps).toFixed(2),
      h.cpuUsPerReq.toFixed(1),
      w.cpuUsPerReq.toFixed(1),
      ms(h.p99Ms),
      ms(w.p99Ms),
      h.errors,
    ]);
  }
  printTable(
    'per round',
    ['round', 'order', 'headroom req/s', 'wrk req/s', 'x wrk', 'headroom µs/req', 'wrk µs/req', 'headroom p99 ms', 'wrk p99 ms', 'errors'],
    perRound,
  );
  const row = (name: 'headroom' | 'wrk'): (string | number)[] => {
    const xs = all[name];
    const rps = median(xs.map((x) => x.rps));
    return [
      name,
      Math.round(rps),
      ms(median(xs.map((x) => x.p50Ms))),
      ms(median(xs.map((x) => x.p99Ms))),
      (rps / median(all.wrk.map((x) => x.rps))).toFixed(2),
      median(xs.map((x) => x.cpuUsPerReq)).toFixed(1),
    ];
  };
  printTable(
    `closed model over HTTPS, ${connections} connections, ${seconds}s x ${rounds} rounds (medians)`,
    ['engine', 'req/s', 'p50 ms', 'p99 ms', 'x wrk', 'CPU µs/req'],
    [row('headroom'), row('wrk')],
  );
  process.stdout.write(
    `\nheadroom / wrk per round: ${ratios.map((x) => x.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}); CPU per request headroom / wrk: ${cpuRatios.map((x) => x.toFixed(2)).join(' ')} (median ${median(cpuRatios).toFixed(2)})\n`,
  );

  const open: (string | number)[][] = [];
  for (const rate of rates) {
    const h = await headroomRun(nginx.url, { rate, connections: 64 });
    for (const m of h.warnings) process.stdout.write(`warning (open ${rate}/s): ${m}\n`);
    open.push([
      rate,
      Math.round(h.rps),
      ms(h.p50Ms),
      ms(h.p99Ms),
      h.p999Ms === null ? '-' : ms(h.p999Ms),
      h.cpuUsPerReq.toFixed(1),
      h.lateSends,
      h.errors,
    ]);
  }
  printTable(
    `open model over HTTPS, headroom (pool of 64 connections), 1s warm-up then ${seconds}s measured per rate; latency from the intended send time (wrk has no open model)`,
    ['offered/s', 'achieved/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'CPU µs/req', 'late sends', 'errors'],
    open,
  );

  // Reconnects: nginx closes every connection after 20 requests, so each 20th request pays a
  // handshake. headroom resumes sessions (the default) or makes full handshakes (resume: false);
  // Node 24's OpenSSL 3.5 also offers the X25519MLKEM768 hybrid key share by default, which
  // nginx's OpenSSL 3.0 (like wrk's) does not: groups: 'X25519' offers what wrk offers.
  const churn = await startNginx(SUT_CPU, { cert: certs.selfSignedCert, key: certs.selfSignedKey }, { keepaliveRequests: 20 });
  try {
    const rows: (string | number)[][] = [];
    for (let r = 0; r < 2; r++) {
      const on = await headroomRun(churn.url, { connections });
      const off = await headroomRun(churn.url, { connections }, { resume: false });
      const x25519 = await headroomRun(churn.url, { connections }, { groups: 'X25519' });
      const w = await runWrk(churn.url, connections, seconds, GEN_CPU);
      for (const [name, x] of [
        ['headroom, resume', on],
        ['headroom, resume: false', off],
        ["headroom, resume, groups: 'X25519'", x25519],
        ['wrk', w],
      ] as const)
        rows.push([r + 1, name, Math.round(x.rps), x.cpuUsPerReq.toFixed(1), ms(x.p50Ms), ms(x.p99Ms)]);
    }
    printTable(
      `closed model over HTTPS with reconnects (nginx keepalive_requests 20), ${connections} connections, ${seconds}s each`,
      ['round', 'engine', 'req/s', 'CPU µs/req', 'p50 ms', 'p99 ms'],
      rows,
    );
  } finally {
    await churn.stop();
  }
} finally {
  await nginx.stop();
  rmSync(certs.dir, { recursive: true, force: true });
}
