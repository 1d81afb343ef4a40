import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerToRunner } from '@headroom/internal';
import { WORKER_ENTRY } from './index.ts';
import { httpServer, plan } from './test-servers.ts';
import type { TestServer } from './test-servers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await httpServer((_q, res) => res.end('ok'));
});
afterAll(async () => {
  await srv.close();
});

/** Spawns the real worker the way the runner does (minus taskset, which the bench harness covers). */
function spawnWorker(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ...env },
  });
  const messages: WorkerToRunner[] = [];
  child.on('message', (m: WorkerToRunner) => messages.push(m));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<void>((r) =>
    child.on('message', (m: WorkerToRunner) => {
      if (m.type === 'ready') r();
    }),
  );
  return { child, messages, exited, ready };
}

describe('worker process (IPC protocol)', () => {
  it.each([
    ['direct handle writes', {}],
    ['socket.write (HEADROOM_STREAM_WRITE=1)', { HEADROOM_STREAM_WRITE: '1' }],
  ])('replies ready, ticks, ends phases, sends done and exits 0; histograms arrive as bytes (%s)', async (_name, env) => {
    const w = spawnWorker(env);
    w.child.send({
      type: 'start',
      plan: plan(srv.url, [{ name: 'p', model: 'constant', warmup: false, durationMs: 1200, connections: 2, rate: 100 }], {
        startAt: Date.now() + 1000,
        index: 3,
        count: 4,
      }),
    });
    expect(await w.exited).toBe(0);
    const types = w.messages.map((m) => m.type).filter((t) => t !== 'warning');
    expect(types).toEqual(['ready', 'tick', 'tick', 'phase-end', 'done']);
    const ready = w.messages[0]!;
    expect(ready).toMatchObject({ type: 'ready', worker: 3, pid: w.child.pid });
    const end = w.messages.find((m) => m.type === 'phase-end')!;
    expect(end.hist).toBeInstanceOf(Uint8Array);
    // Worker 3 of 4 takes arrivals 3, 7, 11 …: 120 global arrivals ⇒ 30 for it.
    expect(end).toMatchObject({ worker: 3, requests: 30, offered: 30 });
  });

  it('on stop: flushes what it measured, sends done, exits 0', async () => {
    const w = spawnWorker();
    w.child.send({
      type: 'start',
      plan: plan(srv.url, [{ name: 'p', model: 'closed', warmup: false, durationMs: 30_000, connections: 2, thinkTimeMs: 10 }]),
    });
    await w.ready;
    await new Promise((r) => setTimeout(r, 700));
    w.child.send({ type: 'stop', reason: 'test' });
    expect(await w.exited).toBe(0);
    // A slow boot may put the stop in the run's second 1 or later: one or more ticks, then the flush.
    const types = w.messages.map((m) => m.type).filter((t) => t !== 'warning');
    expect(types[0]).toBe('ready');
    expect(types.slice(-2)).toEqual(['phase-end', 'done']);
    expect(types.slice(1, -2).length).toBeGreaterThanOrEqual(1);
    expect(new Set(types.slice(1, -2))).toEqual(new Set(['tick']));
  });

  it('exits at once when the runner goes away (IPC channel closed)', async () => {
    const w = spawnWorker();
    w.child.send({
      type: 'start',
      plan: plan(srv.url, [{ name: 'p', model: 'closed', warmup: false, durationMs: 30_000, connections: 1, thinkTimeMs: 10 }]),
    });
    await w.ready;
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    w.child.disconnect();
    expect(await w.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
