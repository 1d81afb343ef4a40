import { describe, expect, it } from 'vitest';
import { functionTable, interestingTypes, profileTotal, sampleTypeNames } from '../profile/index.ts';
import { decodePprof } from '../profile/io.ts';
import { nameFrame } from './perf-frames.ts';
import { PhaseTimeline } from './perf-phases.ts';
import { PerfPhaseProfiles, PerfPprofBuilder } from './perf-pprof.ts';
import { parsePerfScript } from './perf-script.ts';

// Shaped as `perf script --ns -F comm,pid,tid,time,ip,sym,dso` prints a recording of a Node
// service made with --perf-basic-prof (perf 6.1, Node 24): JIT frames from /tmp/perf-<pid>.map,
// C++ frames of node, kernel frames, an unresolved frame, a thread whose name has a space.
const SCRIPT = `MainThread 4242/4242   100.000000100: 
	    7f938400b8d8 JS:*'burnKnown file:///srv/app/server.mjs:3:19 (/tmp/perf-4242.map)
	    7f9384000594 JS:~handle file:///srv/app/server.mjs:9:20 (/tmp/perf-4242.map)
	          a23036 v8::internal::(anonymous namespace)::Invoke (/usr/bin/node)

MainThread 4242/4242   100.010000000: 
	    7f938400b8d8 JS:*'burnKnown file:///srv/app/server.mjs:3:19 (/tmp/perf-4242.map)
	    7f9384000594 JS:~handle file:///srv/app/server.mjs:9:20 (/tmp/perf-4242.map)
	          a23036 v8::internal::(anonymous namespace)::Invoke (/usr/bin/node)

MainThread 4242/4242   100.020000000: 
	ffffffff8225fc27 exc_page_fault ([kernel.kallsyms])
	    7f9384000594 JS:~handle file:///srv/app/server.mjs:9:20 (/tmp/perf-4242.map)

node worker 4242/4250   100.030000000: 
	    7f11aa000010 [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)
	    7f11aa000020 [unknown] ([unknown])
	    7f11aa000030 Script:~ file:///srv/app/server.mjs:1:1 (/tmp/perf-4242.map)

MainThread 4242/4242   100.500000000: 
	    7f938400b8d8 JS:*'burnKnown file:///srv/app/server.mjs:3:19 (/tmp/perf-4242.map)
`;

describe('perf script parsing', () => {
  it('reads each sample with its thread, CLOCK_MONOTONIC time in ns and stack, leaf first', () => {
    const s = parsePerfScript(SCRIPT);
    expect(s).toHaveLength(5);
    expect(s[0]).toMatchObject({ comm: 'MainThread', pid: 4242, tid: 4242, timeNs: 100_000_000_100 });
    expect(s[0]?.frames.map((f) => f.symbol)).toEqual([
      "JS:*'burnKnown file:///srv/app/server.mjs:3:19",
      'JS:~handle file:///srv/app/server.mjs:9:20',
      'v8::internal::(anonymous namespace)::Invoke',
    ]);
    expect(s[0]?.frames[2]?.dso).toBe('/usr/bin/node');
    expect(s[3]).toMatchObject({ comm: 'node worker', tid: 4250, timeNs: 100_030_000_000 });
  });

  it('names JIT, native, kernel and unknown frames', () => {
    expect(nameFrame({ symbol: "JS:*'burnKnown file:///srv/app/server.mjs:3:19", dso: '/tmp/perf-1.map' })).toEqual({
      name: 'burnKnown',
      file: 'file:///srv/app/server.mjs',
      line: 3,
    });
    expect(nameFrame({ symbol: 'LazyCompile:~handle /srv/app/server.js:9', dso: '/tmp/perf-1.map' })).toEqual({
      name: 'handle',
      file: '/srv/app/server.js',
      line: 9,
    });
    expect(nameFrame({ symbol: 'Script:~ file:///srv/a.mjs:1:1', dso: '/tmp/perf-1.map' }).name).toBe('(anonymous)');
    expect(nameFrame({ symbol: 'Builtin:ArrayPrototypePush', dso: '/tmp/perf-1.map' }).name).toBe('Builtin:ArrayPrototypePush');
    expect(nameFrame({ symbol: 'exc_page_fault', dso: '[kernel.kallsyms]' }).name).toBe('[k] exc_page_fault');
    expect(nameFrame({ symbol: '[unknown]', dso: '/usr/lib/x86_64-linux-gnu/libc.so.6' }).name).toBe('[libc.so.6]');
    expect(nameFrame({ symbol: '[unknown]', dso: '[unknown]' }).name).toBe('[unknown]');
    expect(nameFrame({ symbol: 'ngx_http_process_request', dso: '/usr/sbin/nginx' })).toEqual({
      name: 'ngx_http_process_request',
      file: '/usr/sbin/nginx',
      line: 0,
    });
  });
});

describe('perf samples to pprof', () => {
  it('makes a cpu profile with samples and cpu = samples × 1e9/hz that survives encoding and feeds the function table', () => {
    const b = new PerfPprofBuilder(100);
    for (const s of parsePerfScript(SCRIPT)) b.add(s);
    const p = decodePprof(b.build(1e9).encode());
    expect(sampleTypeNames(p)).toEqual(['samples', 'cpu']);
    expect(interestingTypes(p)).toEqual([1]);
    expect(profileTotal(p, 0)).toBe(5);
    expect(profileTotal(p, 1)).toBe(5 * 10_000_000);
    expect(Number(p.period)).toBe(10_000_000);
    const rows = functionTable(p, 1, 'steady');
    const by = (name: string) => rows.find((r) => r.function === name);
    // burnKnown is the leaf of 3 samples; handle is on 3 stacks and the leaf of none but one under the page fault.
    expect(rows[0]).toMatchObject({
      function: 'burnKnown',
      self: 30_000_000,
      total: 30_000_000,
      line: 3,
      file: 'file:///srv/app/server.mjs',
    });
    expect(by('handle')).toMatchObject({ self: 0, total: 30_000_000 });
    expect(by('[k] exc_page_fault')).toMatchObject({ self: 10_000_000 });
    expect(by('[libc.so.6]')).toMatchObject({ self: 10_000_000, total: 10_000_000 });
    expect(by('[unknown]')?.total).toBe(10_000_000);
    expect(by('(anonymous)')?.total).toBe(10_000_000);
  });
});

describe('splitting samples by phase time', () => {
  it('puts each sample in the measured phase running at its timestamp, start inclusive, end exclusive', () => {
    const t = new PhaseTimeline();
    t.mark('warmup', false, 99_000_000_000);
    t.mark('steady', true, 100_000_000_100); // the first sample is at exactly this time
    t.mark('spike', true, 100_030_000_000); // the worker-thread sample opens spike
    t.mark(null, false, 100_400_000_000); // the last sample falls after the run's phases
    const phases = new PerfPhaseProfiles(100, t);
    for (const s of parsePerfScript(SCRIPT)) phases.add(s);
    const out = new Map(phases.profiles().map((x) => [x.phase, x]));
    expect([...out.keys()].sort()).toEqual(['spike', 'steady']);
    expect(out.get('steady')?.samples).toBe(3);
    expect(out.get('spike')?.samples).toBe(1);
    expect(phases.outside).toBe(1);
    expect(Number(out.get('steady')?.profile.durationNanos)).toBe(29_999_900);
    expect(t.measuredAt(99_500_000_000)).toBeNull(); // warm-up is not measured
    expect(t.measuredAt(98_000_000_000)).toBeNull(); // before any phase
  });

  it('ends a phase at its planned length when no later mark comes (the last phase: the service drains its backlog after it)', () => {
    const t = new PhaseTimeline();
    t.mark('steady', true, 100_000_000_000, 300); // planned 0.3 s
    expect(t.measuredAt(100_299_999_999)).toBe('steady');
    expect(t.measuredAt(100_300_000_000)).toBeNull();
    expect(t.durationNs('steady', 101_000_000_000)).toBe(300_000_000);
    t.mark(null, false, 100_900_000_000); // the end mark comes late: the planned end stands
    expect(t.spans[0]?.endNs).toBe(100_300_000_000);
    const phases = new PerfPhaseProfiles(100, t);
    for (const s of parsePerfScript(SCRIPT)) phases.add(s);
    expect(phases.profiles()[0]?.samples).toBe(4); // the sample at 100.5 s is after steady's planned end
  });
});
