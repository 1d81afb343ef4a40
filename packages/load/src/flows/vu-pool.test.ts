import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { planWorkers } from '../plan-workers.ts';
import { collect, countingServer, phaseEnds, type CountingServer } from '../test-servers.ts';

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(() => server.close());

describe('the VU pool', () => {
  it('opens the first phase’s connections before its start, and the next phase runs on the same VUs and connections, opening none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-vu-pool-'));
    const file = join(dir, 'scenario.ts');
    writeFileSync(
      file,
      `import { defineScenario } from '@headroom/core';
export default defineScenario({
  name: 'pool', target: '${server.url}',
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
    const first = server.requests[0]!.at;
    expect(server.accepted.filter((a) => a.at < first).length).toBe(3);
    // 50 arrivals a second on a 1-request flow need one VU at a time: no phase opened another connection,
    // and both phases ran on the 3 VUs (ids 0-2) and the connections opened before the start.
    expect(server.accepted.length).toBe(3);
    const prepared = new Set(server.accepted.map((a) => a.port));
    for (const r of server.requests) {
      expect(prepared.has(r.port)).toBe(true);
      expect(['0', '1', '2']).toContain(new URL(r.req.url ?? '/', 'http://x').searchParams.get('vu'));
    }
  });
});
