/**
 * Wall time of `(idle)` samples. @datadog/pprof 5.x (which @pyroscope/nodejs runs on) writes
 * every wall sample with `samples` = 1 and `wall` = the sampling interval, except `(idle)`
 * samples, whose wall value it sets to 0 (out/src/profile-serializer.js, "`(idle)` nodes should
 * be assigned zero wall time"). A wall profile is then the busy time only, and the share of
 * time the event loop waited cannot be read from it. This restores each idle sample's wall time
 * as its sample count × the profile's period (the sampling interval), so a wall profile sums to
 * the time it covers and `(idle)` holds the waiting.
 */
import type { Profile } from 'pprof-format';
import { sampleTypeNames } from './merge.ts';

/** The frame V8 reports when no JavaScript is on the main thread's stack. */
export const IDLE_FRAME = '(idle)';

/** What restoreIdleWall did: the wall time it added (ns), and how to take it back out. */
export interface RestoredIdleWall {
  added: number;
  /** Subtracts from each sample what was added (values merged into it since stay). */
  undo(): void;
}

/**
 * Gives zero-wall `(idle)` samples of `p` their wall time, in place. Does nothing unless `p`
 * has `samples` and `wall` sample types and a wall period in nanoseconds.
 */
export function restoreIdleWall(p: Profile): RestoredIdleWall {
  const st = p.stringTable.strings;
  const names = sampleTypeNames(p);
  const count = names.indexOf('samples');
  const wall = names.indexOf('wall');
  const period = Number(p.period);
  const periodIsWallNs =
    p.periodType !== undefined && st[Number(p.periodType.type)] === 'wall' && st[Number(p.periodType.unit)] === 'nanoseconds';
  const nothing: RestoredIdleWall = { added: 0, undo: () => {} };
  if (count < 0 || wall < 0 || !periodIsWallNs || !(period > 0)) return nothing;
  const idleFns = new Set(p.function.filter((f) => st[Number(f.name)] === IDLE_FRAME).map((f) => Number(f.id)));
  if (idleFns.size === 0) return nothing;
  const idleLocs = new Set(p.location.filter((l) => l.line.some((ln) => idleFns.has(Number(ln.functionId)))).map((l) => Number(l.id)));
  const changed: [values: (number | bigint)[], added: number][] = [];
  let added = 0;
  for (const s of p.sample) {
    const leaf = s.locationId[0];
    if (leaf === undefined || !idleLocs.has(Number(leaf)) || Number(s.value[wall] ?? 0) !== 0) continue;
    const v = Number(s.value[count] ?? 0) * period;
    s.value[wall] = v;
    changed.push([s.value as (number | bigint)[], v]);
    added += v;
  }
  return {
    added,
    undo: () => {
      for (const [values, v] of changed) values[wall] = Number(values[wall]) - v;
    },
  };
}
