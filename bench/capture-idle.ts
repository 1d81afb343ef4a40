/**
 * What capture costs a service that is idle: the fixed, per-second part of its cost (the CPU
 * profiler's sampler and processing threads, the runtime sampler's timers, the agent's I/O
 * thread), apart from what it adds to each request. A fresh service (bench/capture-server.ts on
 * CPU 0) is warmed for 3 s, then left idle in a measured phase while the CPU of each of its
 * threads is read from /proc/<pid>/task/<tid>/schedstat; once with capture off, then once per
 * sampling rate with the parts chosen on.
 * Run: node bench/capture-idle.ts [--parts cpu] [--hz 19,49,100] [--seconds 20] [--heap-interval N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCapture } from '../packages/capture/src/index.ts';
import { captureOf, load, pinScriptToCpu1, startService } from './lib/capture-service.ts';
import { hostLine } from './lib/host.ts';
import { threadCpuNs } from './lib/proc.ts';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'cpu' },
    hz: { type: 'string', default: '19,49,100' },
    seconds: { type: 'string', default: '20' },
    'heap-interval': { type: 'string' },
  },
});
process.stdout.write(`${hostLine()}\n`);
pinScriptToCpu1();

async function idle(hz: string | null): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-idle-'));
  const session =
    hz === null
      ? null
      : await startCapture({
          runId: 'idle',
          artifactsDir: dir,
          serviceName: 'bench',
          capture: captureOf({ ...args, hz }),
          onWarning: () => {},
        });
  const { child, port } = await startService(session?.nodeArgs ?? [], session?.env ?? {}, '0');
  try {
    await session?.setPhase('warmup', false);
    load(port, 3, '16');
    await session?.setPhase('steady', true);
    await sleep(1000);
    const a = threadCpuNs(child.pid!);
    await sleep(Number(args.seconds) * 1000);
    const b = threadCpuNs(child.pid!);
    const seconds = Number(args.seconds);
    const rows = [...b].map(([k, v]) => [k, (v - (a.get(k) ?? 0)) / 1e6 / seconds] as const).filter(([, v]) => v >= 0.01);
    const total = rows.reduce((t, [, v]) => t + v, 0);
    process.stdout.write(
      `${(hz === null ? 'capture off' : `${args.parts} at ${hz} Hz`).padEnd(28)} ${total.toFixed(2).padStart(6)} ms of CPU a second: ${rows.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}\n`,
    );
    await session?.setPhase(null, false);
  } finally {
    await session?.finish();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

await idle(null);
for (const hz of args.hz!.split(',')) await idle(hz);
