/**
 * What a segment run (`headroom run --segment i/n`) does differently from a run of the whole
 * scenario, besides carrying only its stripes of the load (the load package's planWorkers): it
 * records which segment it is, so `headroom merge` can join the segments, and its phase rows
 * say what this segment offered, so they are its share throughout.
 */
import type { Scenario, Segment, SegmentRecord } from '@headroom/core';
import type { PhaseResult } from './aggregate.ts';

/** The `segment` object of a segment run's stored config and `--json` result. */
export function segmentRecord(segment: Segment, startAt: number, workers: number): SegmentRecord {
  return { index: segment.index, count: segment.count, startAt: new Date(startAt).toISOString(), workers };
}

/** The config a run stores: the resolved scenario, with `segment` for a segment run and no such key otherwise. */
export function storedConfig(scenario: Scenario, segment: SegmentRecord | null): unknown {
  return segment === null ? scenario : { ...scenario, segment };
}

/**
 * A segment's stripes hold 1/n of every open phase's arrivals (global arrivals ≡ i mod n, or
 * n independent Poisson shares), so it offered 1/n of the rate: its rows say so, beside what
 * it achieved, and the n segments' offered rates add up to the scenario's.
 */
export function toSegmentShare(r: PhaseResult, segment: Segment | null): void {
  if (segment !== null && r.offeredRate !== null) r.offeredRate /= segment.count;
}
