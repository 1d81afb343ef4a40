/**
 * Does capture stall the service when phases change? The service (bench/capture-server.ts,
 * CPU 0) reports its event loop's largest delay every 250 ms while this script (CPU 1) sends it
 * an even --rate of requests and walks it through a run's phases: an unmeasured warm-up, a
 * measured `steady` long enough for one mid-phase profile flush (capture pushes profiles every
 * 10 s), then --steps short measured steps. Printed per variant: the largest loop delay in the
 * window holding each phase start and the flush, beside the median and p95 of every other
 * window's largest delay (what the service shows anyway). A stall the capture adds shows as a
 * boundary window far above the others.
 *
 * --baseline <checkout> runs the same walk first with the capture agent of another checkout
 * of headroom (its packages/capture; give it a node_modules, e.g. a symlink to this one's), so
 * before/after figures come from one invocation.
 *
 *   node_modules/.bin/node bench/capture-phase-stall.ts [--parts cpu,heap,traces,runtime] [--rate 500] [--steps 3] [--step-seconds 3] [--rounds 2] [--baseline <dir>]
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { startCapture as StartCapture } from '../packages/capture/src/index.ts';
import { captureOf, pinScriptToCpu1, startService } from './lib/capture-service.ts';
import { printHost } from './lib/host.ts';
import { printTable } from './lib/table.ts';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'cpu,heap,traces,runtime' },
    sample: { type: 'string', default: '0.01' },
    rate: { type: 'string', default: '500' },
    steps: { type: 'string', default: '3' },
    'step-seconds': { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    baseline: { type: 'string' },
  },
});
const WINDOW_MS = 250;
const FLUSH_MS = 10_000; // CAPTURE_DEFAULTS.flushIntervalMs
printHost();
pinScriptToCpu1();

interface Walk {
  /** [label, epoch ms] of each phase start and of the expected mid-phase flush. */
  marks: [string, number][];
  /** [window end epoch ms, largest loop delay ms]. */
  windows: [number, number][];
}

async function walk(startCapture: typeof StartCapture): Promise<Walk> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-stall-'));
  const session = await startCapture({ runId: 'stall', artifactsDir: dir, serviceName: 'bench', capture: captureOf(args) });
  const { child, port } = await startService(session.nodeArgs, { ...session.env, LOOP_DELAY_MS: String(WINDOW_MS) }, '0');
  const windows: [number, number][] = [];
  let buf = '';
  child.stdout?.on('data', (d) => {
    buf += String(d);
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const m = /^loopdelay (\d+) (\d+)/.exec(buf.slice(0, i));
      if (m) windows.push([Number(m[1]), Number(m[2]) / 1e6]);
      buf = buf.slice(i + 1);
    }
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const every = 1000 / Number(args.rate);
  let next = performance.now();
  let sending = true;
  const pace = (async () => {
    while (sending) {
      http.get({ host: '127.0.0.1', port, path: '/orders', agent }, (r) => r.resume()).on('error', () => undefined);
      next += every;
      const wait = next - performance.now();
      if (wait > 1) await sleep(wait);
      else if (wait > 0) await new Promise((r) => setImmediate(r));
    }
  })();
  const marks: [string, number][] = [];
  try {
    await session.setPhase('warmup', false);
    await sleep(3000);
    marks.push(['steady start', Date.now()]);
    await session.setPhase('steady', true);
    marks.push(['10-s flush', Date.now() + FLUSH_MS]);
    await sleep(FLUSH_MS + 2000);
    for (let s = 1; s <= Number(args.steps); s++) {
      marks.push([`step ${s} start`, Date.now()]);
      await session.setPhase(`step-${s}`, true);
      await sleep(Number(args['step-seconds']) * 1000);
    }
    await session.setPhase(null, false);
    await sleep(2 * WINDOW_MS);
  } finally {
    sending = false;
    await pace;
    agent.destroy();
    await session.finish().catch(() => undefined);
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
  return { marks, windows };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const variants: [string, typeof StartCapture][] = [];
if (args.baseline !== undefined) {
  const mod = (await import(pathToFileURL(join(resolve(args.baseline), 'packages/capture/src/index.ts')).href)) as {
    startCapture: typeof StartCapture;
  };
  variants.push(['baseline', mod.startCapture]);
}
variants.push(['this checkout', (await import('../packages/capture/src/index.ts')).startCapture]);

process.stdout.write(
  `parts ${args.parts}, ${args.rate} req/s evenly, loop delay max per ${WINDOW_MS} ms window; ${args.rounds} rounds per variant, alternating\n`,
);
const rows: (string | number)[][] = [];
const results = new Map<string, Walk[]>();
for (let round = 0; round < Number(args.rounds); round++)
  for (const [name, start] of variants) results.set(name, [...(results.get(name) ?? []), await walk(start)]);
for (const [name, walks] of results) {
  for (const [i, w] of walks.entries()) {
    // The window holding an instant t ends within WINDOW_MS after it; a flush may land a little late.
    const holding = (t: number, slack: number) => w.windows.filter(([end]) => end >= t && end <= t + WINDOW_MS + slack);
    const byMark = w.marks.map(([label, t]) => [label, holding(t, label === '10-s flush' ? 500 : 100)] as const);
    const used = new Set(byMark.flatMap(([, ws]) => ws.map(([end]) => end)));
    const others = w.windows.filter(([end]) => !used.has(end)).map(([, d]) => d);
    const at = (prefix: string) => Math.max(...byMark.filter(([l]) => l.startsWith(prefix)).flatMap(([, ws]) => ws.map(([, d]) => d)));
    rows.push([
      `${name} #${i + 1}`,
      at('steady').toFixed(1),
      at('10-s').toFixed(1),
      at('step').toFixed(1),
      quantile(others, 0.5).toFixed(1),
      quantile(others, 0.95).toFixed(1),
    ]);
  }
}
printTable(
  'largest event-loop delay of the service, ms',
  ['variant', 'steady start', '10-s flush', 'step starts (max)', 'other windows p50', 'p95'],
  rows,
);
