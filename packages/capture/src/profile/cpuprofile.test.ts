/**
 * cpuProfileToPprof on a hand-built CDP profile (weights worked out in the comments) and on a
 * real `node --cpu-prof` file of a process that spins in one known function.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuProfileToPprof, parseCpuProfile, type V8CpuProfile } from './cpuprofile.ts';
import { functionTable } from './function-table.ts';
import { decodePprof } from './io.ts';
import { sampleTypeNames } from './merge.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const frame = (functionName: string, lineNumber = -1, url = '') => ({ functionName, scriptId: 1, url, lineNumber, columnNumber: 0 });

/** (root) → main(line 0) → work(line 9); (root) → (idle). Samples: work, work, main, (idle), work. */
const HAND: V8CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4] },
    { id: 2, callFrame: frame('main', 0, 'file:///app.js'), children: [3] },
    { id: 3, callFrame: frame('work', 9, 'file:///app.js') },
    { id: 4, callFrame: frame('(idle)') },
  ],
  startTime: 1000,
  endTime: 1600,
  samples: [3, 3, 2, 4, 3],
  // Sample times: 1100, 1200, 1300, 1450, 1500; each lasts until the next, the last until endTime (1600).
  timeDeltas: [100, 100, 100, 150, 50],
};

describe('cpuProfileToPprof', () => {
  it('weighs each sample by the time to the next one and keeps V8 stacks without (root)', () => {
    const p = cpuProfileToPprof(HAND);
    expect(sampleTypeNames(p)).toEqual(['samples', 'wall']);
    // work: 1100→1200, 1200→1300 and 1500→1600 (the last, to endTime) = 300 µs; main: 1300→1450 = 150 µs; (idle): 1450→1500 = 50 µs.
    const rows = functionTable(p, 1, 'bench');
    expect(rows.map((r) => [r.function, r.self, r.total, r.file, r.line])).toEqual([
      ['work', 300_000, 300_000, 'file:///app.js', 10],
      ['main', 150_000, 450_000, 'file:///app.js', 1],
      ['(idle)', 50_000, 50_000, '', 0],
    ]);
    expect(functionTable(p, 0, 'bench').find((r) => r.function === 'work')!.self).toBe(3);
    expect(Number(p.durationNanos)).toBe(600_000);
    // Survives the pprof round trip.
    expect(decodePprof(p.encode()).sample).toHaveLength(3);
  });

  it('falls back to hit counts spread over the duration when samples carry no timing', () => {
    const p = cpuProfileToPprof({
      ...HAND,
      samples: undefined,
      timeDeltas: undefined,
      nodes: HAND.nodes.map((n) => ({ ...n, hitCount: n.id === 3 ? 3 : n.id === 2 ? 1 : 0 })),
    });
    // 4 hits over 600 µs: 150 µs each.
    expect(functionTable(p, 1, 'b').map((r) => [r.function, r.self])).toEqual([
      ['work', 450_000],
      ['main', 150_000],
    ]);
  });

  it('refuses a file that is not a .cpuprofile', () => {
    expect(() => parseCpuProfile('{"nodes":1}')).toThrow(/not a V8 \.cpuprofile/);
  });

  it('reads a real node --cpu-prof file: the spinning function leads and the samples cover the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-cpuprof-'));
    dirs.push(dir);
    const script = 'function spinForAWhile(){const e=Date.now()+300;let x=0;while(Date.now()<e)x+=Math.sqrt(x+1);return x}spinForAWhile();';
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-e', script]);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as V8CpuProfile;
    const p = parseCpuProfile(JSON.stringify(raw));
    const rows = functionTable(p, 1, 'bench');
    expect(rows[0]!.function).toBe('spinForAWhile');
    const sampled = rows.reduce((s, r) => s + r.self, 0);
    // Every sample's weight ends at the next sample or at endTime, so they sum to endTime − first sample time.
    const first = raw.startTime + raw.timeDeltas![0]!;
    expect(Math.abs(sampled - (raw.endTime - first) * 1000)).toBeLessThan(1000 * raw.samples!.length);
    expect(rows[0]!.self / sampled).toBeGreaterThan(0.5);
  });
});
