/** restoreIdleWall on a profile shaped as @datadog/pprof 5.x writes it: idle samples with wall 0. */
import { describe, it, expect } from 'vitest';
import { Profile, StringTable, ValueType, Function as PFunction, Location, Line, Sample } from 'pprof-format';
import { restoreIdleWall } from './idle-wall.ts';
import { functionTable } from './function-table.ts';

function datadogShaped(periodType = 'wall'): Profile {
  const st = new StringTable();
  const vt = (t: string, u: string) => new ValueType({ type: st.dedup(t), unit: st.dedup(u) });
  const fn = (id: number, name: string) => new PFunction({ id, name: st.dedup(name), filename: st.dedup(''), startLine: 0 });
  return new Profile({
    stringTable: st,
    sampleType: [vt('samples', 'count'), vt('wall', 'nanoseconds'), vt('cpu', 'nanoseconds')],
    periodType: vt(periodType, 'nanoseconds'),
    period: 10_000_000,
    function: [fn(1, 'handler'), fn(2, '(idle)')],
    location: [new Location({ id: 1, line: [new Line({ functionId: 1 })] }), new Location({ id: 2, line: [new Line({ functionId: 2 })] })],
    sample: [
      // 3 busy samples of 10 ms; 7 idle samples (two sample rows, as labels split them) with wall 0 and some CPU.
      new Sample({ locationId: [1], value: [3, 30_000_000, 25_000_000] }),
      new Sample({ locationId: [2], value: [5, 0, 4_000_000] }),
      new Sample({ locationId: [2], value: [2, 0, 1_000_000] }),
    ],
  });
}

describe('restoreIdleWall', () => {
  it('gives idle samples count × period of wall time, so the wall profile covers all 10 samples', () => {
    const p = datadogShaped();
    expect(restoreIdleWall(p).added).toBe(70_000_000);
    const wall = functionTable(p, 1, 'steady');
    // idle 70 ms of 100 ms: the event loop waited 70% of the time.
    expect(wall.map((r) => [r.function, r.self])).toEqual([
      ['(idle)', 70_000_000],
      ['handler', 30_000_000],
    ]);
    // CPU is left as measured.
    expect(p.sample.map((s) => Number(s.value[2]))).toEqual([25_000_000, 4_000_000, 1_000_000]);
    // A second call finds nothing left to restore.
    expect(restoreIdleWall(p).added).toBe(0);
  });

  it('undo takes the restored wall time back out, keeping what was merged into the sample since', () => {
    const p = datadogShaped();
    const idle = p.sample.find((s) => Number(s.value[1]) === 0)!;
    const restored = restoreIdleWall(p);
    expect(Number(idle.value[1])).toBeGreaterThan(0);
    idle.value[0] = Number(idle.value[0]) + 3; // a later push of 3 more idle samples, merged with wall 0
    restored.undo();
    expect(Number(idle.value[1])).toBe(0);
    // Restored again, the sample has its count × period, later samples included.
    expect(restoreIdleWall(p).added).toBe(70_000_000 + 3 * Number(p.period));
  });

  it('leaves a profile alone whose period is not wall time', () => {
    const p = datadogShaped('cpu');
    expect(restoreIdleWall(p).added).toBe(0);
    expect(p.sample.map((s) => Number(s.value[1]))).toEqual([30_000_000, 0, 0]);
  });
});
