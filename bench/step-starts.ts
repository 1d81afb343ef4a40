/**
 * Do steps start clean? A stepped open-model phase over HTTPS against nginx (self-signed RSA
 * 2048, TLS 1.3) on CPU 0, the worker on CPU 1: per step, p50 / p99 / max of its first second
 * beside the rest of the step, and the generator's CPU in its first second. A step whose first
 * second is slower than its others pays for something of the generator's own at the boundary
 * (before the worker kept its connections across units, every step opened all of them anew: a
 * TLS handshake each, in the step's first latencies).
 *
 * --baseline <checkout> runs the same phase first with another checkout's worker, for
 * before/after figures from one invocation.
 *
 *   node_modules/.bin/node bench/step-starts.ts [--connections 64] [--from 1000] [--to 4000] [--step 1000] [--seconds 3] [--baseline <dir>]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHistogram, mergeEncoded, summarize } from '@headroom/internal';
import { makeTestCertificates } from '../packages/load/src/test-certs.ts';
import { printHost } from './lib/host.ts';
import { startNginx } from './lib/nginx.ts';
import { plansFor } from './lib/scenario.ts';
import { ms, printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    from: { type: 'string', default: '1000' },
    to: { type: 'string', default: '4000' },
    step: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '3' },
    baseline: { type: 'string' },
  },
});
const SUT_CPU = [0];
const GEN_CPU = [1];

async function run(url: string, label: string, entry?: string): Promise<(string | number)[][]> {
  const plans = plansFor({
    name: 'step-starts',
    target: { url, tls: { insecure: true } },
    requests: [{ path: '/' }],
    phases: [
      {
        name: 'steps',
        rate: { from: Number(values.from), to: Number(values.to), step: Number(values.step) },
        stepDuration: `${Number(values.seconds)}s`,
        connections: Number(values.connections),
      },
    ],
    workers: { cpus: GEN_CPU, count: 1 },
  });
  const res = await runPlans(plans, { cpus: GEN_CPU, ...(entry === undefined ? {} : { entry }) });
  if (res.fatal !== null) throw new Error(res.fatal);
  for (const w of res.warnings) process.stdout.write(`warning (${label}): ${w}\n`);
  const steps = [...new Set(res.ticks.map((t) => t.phase))];
  return steps.map((step) => {
    const ticks = res.ticks.filter((t) => t.phase === step).sort((a, b) => a.second - b.second);
    const first = createHistogram();
    const rest = createHistogram();
    ticks.forEach((t, k) => mergeEncoded(k === 0 ? first : rest, t.hist));
    const f = summarize(first);
    const r = summarize(rest);
    return [label, step, ms(f.p50Ms), ms(f.p99Ms), ms(f.maxMs), ms(r.p50Ms), ms(r.p99Ms), ms(r.maxMs), (100 * ticks[0]!.cpu).toFixed(1)];
  });
}

printHost();
const certs = makeTestCertificates({ key: 'rsa' });
const nginx = await startNginx(SUT_CPU, { cert: certs.selfSignedCert, key: certs.selfSignedKey });
process.stdout.write(
  `nginx ${nginx.url} (self-signed RSA 2048) on CPU 0; one worker on CPU 1; ${values.connections} connections; steps of ${values.seconds} s\n`,
);
try {
  const rows: (string | number)[][] = [];
  if (values.baseline !== undefined)
    rows.push(...(await run(nginx.url, 'baseline', join(values.baseline, 'packages/load/src/worker-main.ts'))));
  rows.push(...(await run(nginx.url, 'this checkout')));
  printTable(
    'per step: its first second | the rest of the step (ms)',
    ['worker', 'step', 'first p50', 'first p99', 'first max', 'rest p50', 'rest p99', 'rest max', 'gen CPU % first s'],
    rows,
  );
} finally {
  await nginx.stop();
}
