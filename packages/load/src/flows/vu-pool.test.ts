import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { planWorkers } from '../plan-workers.ts';
import { collect, phaseEnds } from '../test-servers.ts';

/** Every connection the server accepted (when, and from which port), and every request (when, which VU, on which port). */
const accepted: { at: number; port: number }[] = [];
const requests: { at: number; port: number; vu: string }[] = [];
let server: http.Server;
let url: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({
      at: performance.now(),
      port: req.socket.remotePort ?? 0,
      vu: new URL(req.url ?? '/', 'http://x').searchParams.get('vu') ?? '',
    });
    res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    accepted.push({ at: performance.now(), port: s.remotePort ?? 0 });
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

describe('the VU pool', () => {
  it('opens the first phase’s connections before its start, and the next phase runs on the same VUs and connections, opening none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-vu-pool-'));
    const file = join(dir, 'scenario.ts');
    writeFileSync(
      file,
      `import { defineScenario } from '@headroom/core';
export default defineScenario({
  name: 'pool', target: '${url}',
  flows: { one: async (vu) => { await vu.get('/?vu=' + vu.id, { name: 'one' }); } },
  phases: [
    { name: 'first', duration: '600ms', rate: 50, connections: 3 },
    { name: 'second', duration: '600ms', rate: 50, connections: 3 },
  ],
});\n`,
    );
    const { default: raw } = (await import(file)) as { default: unknown };
    const scenario = validateScenario(raw, { file, cpuCount: 2 });
    const [p] = planWorkers(scenario, 1, Date.now() + 500);
    const out = await collect(p!);
    const ends = phaseEnds(out);
    expect(ends.map((e) => [e.phase, e.requests])).toEqual([
      ['first', 30],
      ['second', 30],
    ]);
    // The 3 VUs' connections were open before the first request went out.
    const first = requests[0]!.at;
    expect(accepted.filter((a) => a.at < first).length).toBe(3);
    // 50 arrivals a second on a 1-request flow need one VU at a time: no phase opened another connection,
    // and both phases ran on the 3 VUs (ids 0-2) and the connections opened before the start.
    expect(accepted.length).toBe(3);
    const prepared = new Set(accepted.map((a) => a.port));
    for (const r of requests) {
      expect(prepared.has(r.port)).toBe(true);
      expect(['0', '1', '2']).toContain(r.vu);
    }
  });
});
