/**
 * V8 `.cpuprofile` (what `node --cpu-prof` and `headroom bench --profile` write; the Chrome
 * DevTools Protocol's Profiler.Profile) to pprof, so `profile` commands and `go tool pprof`
 * read bench profiles like captured ones.
 *
 * V8's CPU profiler samples one thread at a fixed wall-clock interval, so each sample stands
 * for the time until the next one: sample i weighs t(i+1) − t(i), the last one endTime − t(i),
 * with t(i) = startTime + Σ timeDeltas[0..i] (as Chrome DevTools' CPUProfileDataModel times
 * samples). That is wall time of the thread, the same data @datadog/pprof calls its wall
 * profile, so the pprof has sample types `samples/count` and `wall/nanoseconds`. `(root)` is
 * dropped from stacks; `(idle)`, `(program)` and `(garbage collector)` stay as V8 wrote them.
 * Line numbers are 0-based in the CDP and 1-based in pprof.
 */
import { HeadroomError } from '@headroom/core';
import { Function as PFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/** One call frame of a CDP profile node. */
export interface V8CallFrame {
  functionName: string;
  scriptId: string | number;
  url: string;
  /** 0-based. */
  lineNumber: number;
  /** 0-based. */
  columnNumber: number;
}

/** A CDP Profiler.ProfileNode. */
export interface V8ProfileNode {
  id: number;
  callFrame: V8CallFrame;
  hitCount?: number;
  children?: number[];
}

/** A CDP Profiler.Profile, as a `.cpuprofile` file holds it. Times in microseconds. */
export interface V8CpuProfile {
  nodes: V8ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The wall time (µs) each node was sampled for, and its sample count. */
function nodeWeights(cp: V8CpuProfile): Map<number, { count: number; us: number }> {
  const out = new Map<number, { count: number; us: number }>();
  const add = (id: number, count: number, us: number): void => {
    const w = out.get(id);
    if (w) {
      w.count += count;
      w.us += us;
    } else out.set(id, { count, us });
  };
  const samples = cp.samples ?? [];
  const deltas = cp.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    let t = cp.startTime;
    const times = deltas.map((d) => (t += d));
    samples.forEach((id, i) => add(id, 1, Math.max(0, (times[i + 1] ?? Math.max(cp.endTime, times[i]!)) - times[i]!)));
    return out;
  }
  // No per-sample timing (older files): spread the profile's duration evenly over the hits.
  const hits = cp.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const each = hits > 0 ? (cp.endTime - cp.startTime) / hits : 0;
  for (const n of cp.nodes) if ((n.hitCount ?? 0) > 0) add(n.id, n.hitCount!, n.hitCount! * each);
  return out;
}

/** Converts a parsed `.cpuprofile` to a pprof profile. */
export function cpuProfileToPprof(cp: V8CpuProfile): Profile {
  const st = new StringTable();
  const functions: PFunction[] = [];
  const locations: Location[] = [];
  const fnIds = new Map<string, number>();
  const locIds = new Map<string, number>();
  const locOfNode = new Map<number, number>();
  const parent = new Map<number, number>();
  const root = cp.nodes.find((n) => n.callFrame.functionName === '(root)')?.id;
  for (const n of cp.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
    if (n.id === root) continue;
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    const line = f.lineNumber >= 0 ? f.lineNumber + 1 : 0;
    const fnKey = `${name}\0${f.url}\0${line}`;
    let fnId = fnIds.get(fnKey);
    if (fnId === undefined) {
      fnId = functions.length + 1;
      functions.push(
        new PFunction({ id: fnId, name: st.dedup(name), systemName: st.dedup(name), filename: st.dedup(f.url), startLine: line }),
      );
      fnIds.set(fnKey, fnId);
    }
    const locKey = `${fnId}:${line}`;
    let locId = locIds.get(locKey);
    if (locId === undefined) {
      locId = locations.length + 1;
      locations.push(new Location({ id: locId, line: [new Line({ functionId: fnId, line })] }));
      locIds.set(locKey, locId);
    }
    locOfNode.set(n.id, locId);
  }
  const stackOf = (id: number): number[] => {
    const stack: number[] = [];
    for (let cur: number | undefined = id; cur !== undefined && cur !== root; cur = parent.get(cur)) {
      const loc = locOfNode.get(cur);
      if (loc !== undefined) stack.push(loc);
    }
    return stack;
  };
  const weights = nodeWeights(cp);
  const samples = [...weights]
    .filter(([id]) => id !== root)
    .map(([id, w]) => new Sample({ locationId: stackOf(id), value: [w.count, Math.round(w.us * 1000)] }));
  const count = [...weights.values()].reduce((s, w) => s + w.count, 0);
  const durationNanos = Math.max(0, Math.round((cp.endTime - cp.startTime) * 1000));
  return new Profile({
    stringTable: st,
    sampleType: [
      new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }),
      new ValueType({ type: st.dedup('wall'), unit: st.dedup('nanoseconds') }),
    ],
    periodType: new ValueType({ type: st.dedup('wall'), unit: st.dedup('nanoseconds') }),
    period: count > 0 ? Math.round(durationNanos / count) : 0,
    durationNanos,
    function: functions,
    location: locations,
    sample: samples,
    defaultSampleType: st.dedup('wall'),
  });
}

/** Parses the text of a `.cpuprofile` file and converts it; E_PROFILE_FORMAT when it is not one. */
export function parseCpuProfile(json: string): Profile {
  const cp = JSON.parse(json) as V8CpuProfile;
  if (!Array.isArray(cp.nodes) || typeof cp.startTime !== 'number' || typeof cp.endTime !== 'number') {
    throw new HeadroomError('E_PROFILE_FORMAT', 'not a V8 .cpuprofile: expected nodes, startTime and endTime');
  }
  return cpuProfileToPprof(cp);
}
