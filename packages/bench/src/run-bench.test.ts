import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@headroom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { benchEvents, loadBench, runBench, type BenchEvent, type RepetitionResult } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-bench-'));
const CPU = availableParallelism() - 1;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function benchFile(name: string, body: string): string {
  const file = join(dir, name);
  // A temp dir has no node_modules: '@headroom/core' resolves through core's module hook, as for users' files anywhere.
  writeFileSync(
    file,
    `import { defineBench } from '@headroom/core';\nconst payload: string = JSON.stringify({ id: 7, tags: ['a', 'b'], n: 3.5 });\nexport default defineBench(${body});\n`,
  );
  return file;
}

async function run(file: string, extra: Parameters<typeof runBench>[1] = {}) {
  const bench = await loadBench(file);
  const events: BenchEvent[] = [];
  const result = await runBench(bench, { ...extra, onEvent: (e) => events.push(e) });
  return { bench, result, events };
}

describe('runBench, process isolation (real pinned processes)', () => {
  it('interleaves repetitions across tasks, verifies pinning from /proc, uses a fresh pid per repetition', async () => {
    const file = benchFile(
      'two.bench.ts',
      `{
      name: 'two', cpus: [${CPU}], runs: 3, time: '30ms', warmup: '10ms',
      tasks: { parse: () => JSON.parse(payload), concat: () => payload + payload },
    }`,
    );
    const { result, events } = await run(file);
    expect(result.status).toBe('completed');
    const order = events.filter((e) => e.type === 'repetition').map((e) => `${e.outcome.task}#${e.outcome.repetition}`);
    expect(order).toEqual(['parse#1', 'concat#1', 'parse#2', 'concat#2', 'parse#3', 'concat#3']);
    const progress = events.filter((e) => e.type === 'progress').map((e) => `${e.index}/${e.total}`);
    expect(progress).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');

    const reps = result.repetitions as RepetitionResult[];
    expect(reps.every((r) => r.status === 'ok')).toBe(true);
    for (const r of reps) {
      expect(r.cpus).toEqual([CPU]);
      expect(r.pinned).toBe(true);
      expect(r.threads.length).toBeGreaterThan(1); // main thread + V8/libuv threads, all read from /proc
      for (const t of r.threads) expect(t.cpus).toEqual([CPU]);
      expect(r.iterations).toBeGreaterThanOrEqual(16);
      expect(r.minNs).toBeLessThanOrEqual(r.medianNs);
      expect(r.medianNs).toBeLessThanOrEqual(r.maxNs);
      expect(r.opsPerSec).toBeCloseTo(1e9 / r.meanNs, 6);
      expect(r.samples.length).toBeLessThanOrEqual(10_000);
      expect(r.iterations).toBeGreaterThanOrEqual(r.samples.length); // more when batched
      expect(r.cpuShare).toBeGreaterThan(0);
      expect(r.cpuShare).toBeLessThanOrEqual(1);
      // Read from /proc/<pid>/status: a count, so an integer (a parse slip gives NaN or undefined).
      expect(Number.isInteger(r.involuntarySwitches)).toBe(true);
    }
    expect(new Set(reps.map((r) => r.pid)).size).toBe(6);
  }, 60_000);

  it('reports a throwing task as failed data and keeps running the others', async () => {
    const file = benchFile(
      'fail.bench.ts',
      `{
      name: 'fail', cpus: [${CPU}], runs: 2, time: '20ms', warmup: '0ms',
      tasks: { good: () => payload.length, bad: () => { throw new Error('boom in task'); } },
    }`,
    );
    const { result, events } = await run(file, { sampleCap: 50 });
    expect(result.status).toBe('failed');
    expect(result.failedTasks).toEqual(['bad']);
    const outcomes = result.repetitions.map((r) => `${r.task}#${r.repetition}:${r.status}`);
    expect(outcomes).toEqual(['good#1:ok', 'bad#1:failed', 'good#2:ok']);
    const failure = result.repetitions.find((r) => r.status === 'failed');
    expect(failure?.status === 'failed' && failure.error).toMatch(/boom in task/);
    const good = result.repetitions[0] as RepetitionResult;
    expect(good.samples.length).toBe(50); // capped and thinned
    expect(good.thinned).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  }, 60_000);

  it('writes a CPU profile per repetition when asked', async () => {
    const file = benchFile(
      'prof.bench.ts',
      `{ name: 'prof', cpus: [${CPU}], runs: 1, time: '20ms', warmup: '0ms', tasks: { p: () => JSON.parse(payload) } }`,
    );
    const profDir = join(dir, 'profiles');
    const { result } = await run(file, { profile: { dir: profDir } });
    const r = result.repetitions[0] as RepetitionResult;
    expect(r.profile).toBe(join(profDir, 'p.rep1.cpuprofile'));
    expect(readdirSync(profDir)).toEqual(['p.rep1.cpuprofile']);
  }, 60_000);

  it('stops on abort and says so', async () => {
    const file = benchFile(
      'abort.bench.ts',
      `{ name: 'abort', cpus: [${CPU}], runs: 5, time: '2s', warmup: '0ms', tasks: { slow: () => JSON.parse(payload) } }`,
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = Date.now();
    const { result } = await run(file, { signal: ac.signal });
    expect(result.status).toBe('aborted');
    expect(result.repetitions).toHaveLength(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);
});

describe('runBench, tasks faster than the clock', () => {
  const medianOfMedians = (reps: RepetitionResult[], task: string) => {
    const m = reps.filter((r) => r.task === task).map((r) => r.medianNs);
    return m.sort((a, b) => a - b)[m.length >> 1] as number;
  };

  it('reports per-iteration time that scales with the work, not the clock read', async () => {
    // `acc` is module state, so the loop cannot be folded away; 10x the steps must read ~10x the time.
    const file = benchFile(
      'scale.bench.ts',
      `{
      name: 'scale', cpus: [${CPU}], runs: 3, time: '60ms', warmup: '20ms',
      tasks: {
        k: () => { for (let i = 0; i < 4; i++) acc = (acc * 31 + i) | 0; return acc; },
        k10: () => { for (let i = 0; i < 40; i++) acc = (acc * 31 + i) | 0; return acc; },
      },
    }`,
    );
    writeFileSync(file, `let acc = 1;\n${readFileSync(file, 'utf8')}`);
    const { result } = await run(file);
    expect(result.status).toBe('completed');
    const reps = result.repetitions as RepetitionResult[];
    const ratio = medianOfMedians(reps, 'k10') / medianOfMedians(reps, 'k');
    expect(ratio).toBeGreaterThan(7);
    expect(ratio).toBeLessThan(14);
    for (const r of reps) {
      expect(r.batch).toBeGreaterThan(1); // 4 steps take far less than 100 clock reads
      expect(r.iterations).toBeGreaterThan(r.samples.length);
    }
  }, 60_000);

  it('does not report the clock quantum as the speed of () => 1 + 1', async () => {
    const file = benchFile(
      'tiny.bench.ts',
      `{ name: 'tiny', cpus: [${CPU}], runs: 2, time: '40ms', warmup: '10ms', tasks: { add: () => 1 + 1 } }`,
    );
    const { result } = await run(file);
    const reps = result.repetitions as RepetitionResult[];
    expect(reps).toHaveLength(2);
    for (const r of reps) {
      // A clock read costs tens of ns (and hrtime steps by 1-10 ns); one addition costs well under both.
      expect(r.medianNs).toBeLessThan(10);
      expect(r.medianNs).toBeLessThan(r.clockNs);
      expect(r.minNs).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('times each iteration alone around beforeEach/afterEach, and warns when that is at the clock resolution', async () => {
    const file = benchFile(
      'hooked.bench.ts',
      `{ name: 'hooked', cpus: [${CPU}], runs: 2, time: '10ms', warmup: '0ms', tasks: { add: { fn: () => 1 + 1, beforeEach() {} } } }`,
    );
    const { result, events } = await run(file);
    const reps = result.repetitions as RepetitionResult[];
    expect(reps.every((r) => r.batch === 1)).toBe(true);
    const warnings = events.flatMap((e) => (e.type === 'warning' && /clock/.test(e.message) ? [e.message] : []));
    expect(warnings).toHaveLength(1); // once per task, not per repetition
    expect(warnings[0]).toMatch(/^add: .*timed one iteration at a time/);
  }, 60_000);
});

describe('runBench, hooks outside the time budget', () => {
  it('warns once, after the first repetition, when hooks make a repetition last far longer than time', async () => {
    // ~1 µs measured per iteration, ~50 µs of beforeEach before it: ~50x the time budget in wall time
    // (a CPU taken away while measuring shortens that, hence so wide a margin over the 10x that warns).
    const spin = (us: number) => `{ const t = process.hrtime.bigint() + ${us}000n; while (process.hrtime.bigint() < t); }`;
    const file = benchFile(
      'slowhooks.bench.ts',
      `{ name: 'slowhooks', cpus: [${CPU}], runs: 2, time: '10ms', warmup: '0ms',
        tasks: { fast: () => 1, hooked: { fn: () => ${spin(1)}, beforeEach: () => ${spin(50)} } } }`,
    );
    const { events } = await run(file);
    const warnings = events.flatMap((e) => (e.type === 'warning' && /not counted/.test(e.message) ? [e.message] : []));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^hooked #1: .* wall time .* time '10ms'/);
    const at = (pred: (e: BenchEvent) => boolean) => events.findIndex(pred);
    const warned = at((e) => e.type === 'warning' && /not counted/.test(e.message));
    expect(warned).toBeGreaterThan(at((e) => e.type === 'progress' && e.task === 'hooked' && e.repetition === 1));
    expect(warned).toBeLessThan(at((e) => e.type === 'progress' && e.task === 'hooked' && e.repetition === 2));
  }, 60_000);
});

describe('runBench, thread isolation', () => {
  it('runs each repetition in a fresh worker thread of one pinned host process', async () => {
    const file = benchFile(
      'threads.bench.ts',
      `{
      name: 'threads', cpus: [${CPU}], runs: 2, time: '20ms', warmup: '5ms', isolation: 'thread',
      tasks: { a: () => payload.length, b: () => payload.toUpperCase() },
    }`,
    );
    const { result } = await run(file);
    expect(result.status).toBe('completed');
    const reps = result.repetitions as RepetitionResult[];
    expect(reps.map((r) => `${r.task}#${r.repetition}`)).toEqual(['a#1', 'b#1', 'a#2', 'b#2']);
    expect(new Set(reps.map((r) => r.pid)).size).toBe(1);
    expect(new Set(reps.map((r) => r.threadId)).size).toBe(4);
    expect(reps.every((r) => r.threadId > 0 && r.pinned && r.cpus.join() === String(CPU))).toBe(true);
  }, 60_000);
});

describe('benchEvents', () => {
  it('yields the same events as onEvent, ending with done', async () => {
    const file = benchFile(
      'iter.bench.ts',
      `{ name: 'iter', cpus: [${CPU}], runs: 2, time: '10ms', warmup: '0ms', tasks: { x: () => payload.length } }`,
    );
    const types: string[] = [];
    for await (const e of benchEvents(await loadBench(file))) types.push(e.type);
    // warnings (e.g. "the worker got only 40% of a CPU") depend on what else runs on the machine
    expect(types.filter((t) => t !== 'warning')).toEqual(['start', 'progress', 'repetition', 'progress', 'repetition', 'done']);
  }, 30_000);
});

describe('loadBench', () => {
  it('reports every problem of a bad bench file at once (exit 2)', async () => {
    const file = join(dir, 'bad.bench.ts');
    writeFileSync(file, `export default { name: '', runs: 0, cpus: [999], tasks: { x: 42 }, tyme: '1s' };\n`);
    const e = await loadBench(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    const paths = (e as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['cpus[0]', 'name', 'runs', 'tasks.x', 'tyme'].sort());
    expect((e as ValidationError).exitCode).toBe(2);
  });

  it('says when the file is missing or has no default export', async () => {
    await expect(loadBench(join(dir, 'nope.bench.ts'))).rejects.toThrow(/bench file not found/);
    const file = join(dir, 'nodefault.bench.ts');
    writeFileSync(file, 'export const x = 1;\n');
    await expect(loadBench(file)).rejects.toThrow(/default export/);
  });
});
