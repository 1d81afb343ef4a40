/**
 * The bench-file contract: `defineBench({ name, cpus, runs, time, warmup, tasks })`.
 * Validated like scenarios (every problem at once, with paths).
 */
import { resolve } from 'node:path';
import { resolveAllowedCpus } from './allowed-cpus.ts';
import { Checker, join } from './checker.ts';
import { ValidationError } from './errors.ts';
import type { Duration } from './scenario.ts';

export type BenchFn = () => unknown | Promise<unknown>;

/** A task: a function, or a function with hooks (tinybench's hooks). */
export type TaskInput = BenchFn | { fn: BenchFn; beforeAll?: BenchFn; beforeEach?: BenchFn; afterEach?: BenchFn; afterAll?: BenchFn };

export interface BenchInput {
  name: string;
  /** CPU set of the bench workers. @default [last CPU] */
  cpus?: number[];
  /** Independent repetitions per task. @default 10 */
  runs?: number;
  /** Measuring time per task per repetition. @default '500ms' */
  time?: Duration;
  /** Warm-up time per task per repetition. @default '100ms' */
  warmup?: Duration;
  /** 'process': a fresh process per repetition (most honest variance); 'thread': piscina worker threads. @default 'process' */
  isolation?: 'process' | 'thread';
  tasks: Record<string, TaskInput>;
}

/** Typed identity function; validation happens when headroom loads the file. */
export function defineBench(input: BenchInput): BenchInput {
  return input;
}

export interface Bench {
  name: string;
  file: string;
  cpus: number[];
  runs: number;
  timeMs: number;
  warmupMs: number;
  isolation: 'process' | 'thread';
  /** Task names in declaration order. */
  tasks: string[];
}

export const BENCH_DEFAULTS = { runs: 10, time: '500ms', warmup: '100ms', isolation: 'process' } as const;

export interface ValidateBenchOptions {
  file: string;
  /** The CPUs `cpus` may name; its default is the last. @default this process's affinity (allowed-cpus.ts) */
  cpus?: readonly number[];
  /** Shorthand for `cpus` 0 … cpuCount − 1. */
  cpuCount?: number;
}

/** Validates a bench file's default export; throws ValidationError listing every problem. */
export function validateBench(raw: unknown, options: ValidateBenchOptions): Bench {
  const c = new Checker();
  const allowed = resolveAllowedCpus(options);
  const o = c.object(raw, '') ?? {};
  // A scenario given to bench: one problem that says so, not a list of its unknown fields.
  if (o['tasks'] === undefined && (o['phases'] !== undefined || o['requests'] !== undefined))
    throw new ValidationError(options.file, [
      {
        path: '(file)',
        message: 'is a load scenario (it has phases or requests), not a bench file',
        hint: `run it with: headroom run ${options.file}`,
      },
    ]);
  c.known(o, '', ['name', 'cpus', 'runs', 'time', 'warmup', 'isolation', 'tasks']);
  const name = c.string(o['name'], 'name');
  const cpus = c.cpus(o['cpus'] ?? allowed.slice(-1), 'cpus', allowed);
  const runs = o['runs'] === undefined ? BENCH_DEFAULTS.runs : c.number(o['runs'], 'runs', { integer: true, min: 1 });
  const timeMs = c.duration(o['time'] ?? BENCH_DEFAULTS.time, 'time');
  const warmupMs = c.duration(o['warmup'] ?? BENCH_DEFAULTS.warmup, 'warmup');
  const isolation = o['isolation'] ?? BENCH_DEFAULTS.isolation;
  if (isolation !== 'process' && isolation !== 'thread')
    c.add('isolation', `unknown isolation ${JSON.stringify(isolation)}`, "use 'process' or 'thread'");
  const tasks = c.object(o['tasks'], 'tasks');
  const names: string[] = [];
  if (tasks) {
    if (Object.keys(tasks).length === 0) c.add('tasks', 'has no tasks', "e.g. tasks: { 'JSON.parse': () => JSON.parse(s) }");
    for (const [k, t] of Object.entries(tasks)) {
      const p = join('tasks', k);
      if (typeof t === 'function') {
        names.push(k);
        continue;
      }
      const to = c.object(t, p);
      if (!to) continue;
      c.known(to, p, ['fn', 'beforeAll', 'beforeEach', 'afterEach', 'afterAll']);
      if (typeof to['fn'] !== 'function') c.add(join(p, 'fn'), 'expected a function');
      for (const h of ['beforeAll', 'beforeEach', 'afterEach', 'afterAll']) {
        if (to[h] !== undefined && typeof to[h] !== 'function') c.add(join(p, h), 'expected a function');
      }
      names.push(k);
    }
  }
  if (c.issues.length > 0) throw new ValidationError(options.file, c.issues);
  return {
    name: name as string,
    file: resolve(options.file),
    cpus: cpus as number[],
    runs: runs as number,
    timeMs: timeMs as number,
    warmupMs: warmupMs as number,
    isolation: isolation as Bench['isolation'],
    tasks: names,
  };
}
