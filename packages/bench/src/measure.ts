/**
 * Runs one task of a bench file with tinybench, inside a pinned worker (process or thread).
 * Task errors come back as data; nothing here throws for a failing task.
 */
import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { Bench as TinyBench } from 'tinybench';
import type { TaskInput } from '@headroom/core';
// Only the hook, not core's index: workers should not pay for modules the bench file never uses.
import { allowHeadroomImports } from '@headroom/internal/hooks';
import type { Measurement, MeasureJob } from './protocol.ts';
import { clockCostNs, timedTask } from './timed-task.ts';

/** tinybench's minimum samples per phase; its defaults (64 / 16) would stretch slow tasks far past `time`. */
const MIN_ITERATIONS = 16;
const MIN_WARMUP_ITERATIONS = 4;

/** Evenly thins a sorted sample to at most `cap` values by rank, keeping min and max (the quantiles survive). */
export function thinSorted(sorted: ArrayLike<number>, cap: number): Float64Array {
  const n = sorted.length;
  if (n <= cap) return Float64Array.from(sorted);
  const out = new Float64Array(cap);
  for (let i = 0; i < cap; i++) out[i] = sorted[Math.round((i * (n - 1)) / (cap - 1))] as number;
  return out;
}

/** V8's sampling interval for --profile, µs: node --cpu-prof's default. */
const PROFILE_INTERVAL_US = 1000;

/** Starts V8's CPU profiler on this thread (a worker thread profiles itself) through the inspector. */
async function startProfiler(): Promise<Session> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await session.post('Profiler.start');
  return session;
}

/** Stops the profiler and writes what it sampled as a .cpuprofile (the format node --cpu-prof writes). */
async function stopProfiler(session: Session, path: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(path, JSON.stringify(profile));
  session.disconnect();
}

function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

/** Imports the bench file, runs `job.task` once (warm-up + measurement) and summarises it in ns per iteration. */
export async function measure(job: MeasureJob): Promise<Measurement> {
  let input: TaskInput | undefined;
  allowHeadroomImports(); // per thread: module hooks are in-thread
  try {
    const mod = (await import(pathToFileURL(job.file).href)) as { default?: { tasks?: Record<string, TaskInput> } };
    input = mod.default?.tasks?.[job.task];
  } catch (e) {
    return { status: 'failed', error: `loading ${job.file}: ${describeError(e)}` };
  }
  if (input === undefined) return { status: 'failed', error: `task ${JSON.stringify(job.task)} not found in ${job.file}` };
  const spec = typeof input === 'function' ? { fn: input } : input;
  const tiny = new TinyBench({
    time: job.timeMs,
    iterations: MIN_ITERATIONS,
    warmup: job.warmupMs > 0,
    warmupTime: job.warmupMs,
    warmupIterations: MIN_WARMUP_ITERATIONS,
    retainSamples: true,
    timestampProvider: 'hrtimeNow',
  });
  const clockNs = clockCostNs();
  const timed = timedTask(spec, clockNs);
  // async: tinybench would otherwise call the function once to find out; a sample returns a promise only for an async task.
  tiny.add(job.task, timed.fn, { ...timed.hooks, async: true });
  const profiler = job.profile === undefined ? null : await startProfiler();
  const cpu0 = process.threadCpuUsage();
  const wall0 = process.hrtime.bigint();
  const switches0 = process.resourceUsage().involuntaryContextSwitches;
  try {
    await tiny.run();
  } catch (e) {
    return { status: 'failed', error: describeError(e) };
  } finally {
    if (profiler) await stopProfiler(profiler, job.profile as string);
  }
  const cpu = process.threadCpuUsage(cpu0);
  const wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
  const involuntarySwitches = threadId === 0 ? process.resourceUsage().involuntaryContextSwitches - switches0 : 0;
  const result = tiny.tasks[0]?.result;
  if (!result) return { status: 'failed', error: 'tinybench produced no result' };
  if (result.state === 'errored') return { status: 'failed', error: describeError(result.error) };
  if (result.state !== 'completed') return { status: 'failed', error: `task ended in state ${result.state}` };
  const lat = result.latency;
  const sorted = (lat.samples ?? []).map((ms) => ms * 1e6);
  const samples = thinSorted(sorted, job.sampleCap);
  const meanNs = lat.mean * 1e6;
  const batch = timed.batch();
  return {
    status: 'ok',
    iterations: timed.iterations(),
    batch,
    meanNs,
    medianNs: lat.p50 * 1e6,
    minNs: lat.min * 1e6,
    maxNs: lat.max * 1e6,
    sdNs: lat.sd * 1e6,
    opsPerSec: meanNs > 0 ? 1e9 / meanNs : 0,
    samples,
    thinned: samples.length < sorted.length,
    threadId,
    clockNs,
    wallMs: wallUs / 1000,
    cpuShare: wallUs > 0 ? Math.min(1, (cpu.user + cpu.system) / wallUs) : 1,
    involuntarySwitches,
  };
}
