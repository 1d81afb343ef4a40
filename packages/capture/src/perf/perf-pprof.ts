/**
 * perf samples as pprof: one profile per measured phase, with the sample types a CPU profile
 * of the agent has that `profile top | diff | export` read: `samples` (count) and `cpu`
 * (nanoseconds: each sample stands for one sampling period of CPU time, 1e9 / hz). Identical
 * stacks of the same thread name are summed; the thread name is a `thread` label.
 */
import { Function as PFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { nameFrame } from './perf-frames.ts';
import type { PerfSample } from './perf-script.ts';
import type { PhaseTimeline } from './perf-phases.ts';

/** Builds one pprof profile from perf samples. */
export class PerfPprofBuilder {
  private readonly st = new StringTable();
  private readonly functions: PFunction[] = [];
  private readonly locations: Location[] = [];
  private readonly fnIds = new Map<string, number>();
  private readonly locIds = new Map<string, number>();
  private readonly samples = new Map<string, Sample>();
  private readonly periodNs: number;
  count = 0;

  constructor(hz: number) {
    this.periodNs = Math.round(1e9 / hz);
  }

  add(s: PerfSample): void {
    const stack = s.frames.map((f) => this.locationOf(f));
    const key = `${s.comm}\0${stack.join(',')}`;
    let sample = this.samples.get(key);
    if (!sample) {
      sample = new Sample({
        locationId: stack,
        value: [0, 0],
        label: [new Label({ key: this.st.dedup('thread'), str: this.st.dedup(s.comm) })],
      });
      this.samples.set(key, sample);
    }
    sample.value[0] = Number(sample.value[0]) + 1;
    sample.value[1] = Number(sample.value[1]) + this.periodNs;
    this.count++;
  }

  /** The profile; `durationNs` is the time it covers (the phase's length). */
  build(durationNs: number): Profile {
    const st = this.st;
    return new Profile({
      stringTable: st,
      sampleType: [
        new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }),
        new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
      ],
      periodType: new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
      period: this.periodNs,
      durationNanos: Math.max(0, Math.round(durationNs)),
      function: this.functions,
      location: this.locations,
      sample: [...this.samples.values()],
      defaultSampleType: st.dedup('cpu'),
    });
  }

  private locationOf(f: PerfSample['frames'][number]): number {
    const n = nameFrame(f);
    const fnKey = `${n.name}\0${n.file}`;
    let fnId = this.fnIds.get(fnKey);
    if (fnId === undefined) {
      fnId = this.functions.length + 1;
      const name = this.st.dedup(n.name);
      this.functions.push(new PFunction({ id: fnId, name, systemName: name, filename: this.st.dedup(n.file), startLine: n.line }));
      this.fnIds.set(fnKey, fnId);
    }
    const locKey = `${fnId}:${n.line}`;
    let locId = this.locIds.get(locKey);
    if (locId === undefined) {
      locId = this.locations.length + 1;
      this.locations.push(new Location({ id: locId, line: [new Line({ functionId: fnId, line: n.line })] }));
      this.locIds.set(locKey, locId);
    }
    return locId;
  }
}

/** Sorts perf samples into one profile per measured phase of `timeline`; samples outside them are counted and dropped. */
export class PerfPhaseProfiles {
  private readonly builders = new Map<string, PerfPprofBuilder>();
  private readonly hz: number;
  private readonly timeline: PhaseTimeline;
  /** Samples outside every measured phase (start-up, warm-up, between phases). */
  outside = 0;

  constructor(hz: number, timeline: PhaseTimeline) {
    this.hz = hz;
    this.timeline = timeline;
  }

  add(s: PerfSample): void {
    const phase = this.timeline.measuredAt(s.timeNs);
    if (phase === null) {
      this.outside++;
      return;
    }
    let b = this.builders.get(phase);
    if (!b) {
      b = new PerfPprofBuilder(this.hz);
      this.builders.set(phase, b);
    }
    b.add(s);
  }

  /** Each measured phase that got samples, with its profile and sample count. */
  profiles(nowNs?: number): { phase: string; profile: Profile; samples: number }[] {
    return [...this.builders].map(([phase, b]) => ({
      phase,
      profile: b.build(this.timeline.durationNs(phase, nowNs)),
      samples: b.count,
    }));
  }
}
