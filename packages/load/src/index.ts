/**
 * @headroom/load — load generation: closed and open models, phases and steps, per-worker
 * HDR histograms encoded for exact merging, and the worker process the runner spawns.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the load worker's entry file, to spawn with `taskset -c <cpus> node <WORKER_ENTRY>`. */
export const WORKER_ENTRY: string = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/**
 * Node flags to spawn the worker with: `taskset -c <cpus> node ...WORKER_NODE_ARGS WORKER_ENTRY`.
 * A fixed 8 MB young generation keeps the generator's RSS flat over long runs: with V8's
 * defaults the semi-spaces grow and shrink under the worker's steady allocation and RSS
 * swings by ~100 MB (bench/load-memory.ts: 101 → 205 MB at 10k req/s); with a 2 MB cap,
 * per-second buffers get promoted and RSS still drifted 30-40 MB; fixed at 8 MB it stayed
 * within 6 MB over 5 minutes. The flags must be given at spawn: V8 sizes its heap before
 * any code runs.
 */
export const WORKER_NODE_ARGS: readonly string[] = ['--min-semi-space-size=8', '--max-semi-space-size=8'];

export { planWorkers, plannedWorkerCount } from './plan-workers.ts';
export type { PlanWorkersOptions } from './plan-workers.ts';
export { runWorker } from './worker.ts';
export type { WorkerHandle } from './worker.ts';
export { arrivalSchedule } from './arrival-schedule.ts';
export type { ArrivalSchedule, ScheduleOptions } from './arrival-schedule.ts';
export { timeline } from './timeline.ts';
export type { RunUnit } from './timeline.ts';
export { ENGINES, engineFor } from './engines.ts';
export type { Engine, EngineContext, UnitRun } from './engine.ts';
export { ResponseParser } from '@headroom/internal/response-parser';
export { RequestMix } from './request-mix.ts';
export { encodeRequest } from './encode-request.ts';
export type { EncodedRequest } from './encode-request.ts';
export { PoissonSchedule } from './poisson-schedule.ts';
export { tlsOptions } from './tls-transport.ts';
export type { PoissonScheduleOptions } from './poisson-schedule.ts';
export { sumChecks, sumFlows } from './flows/unit-stats.ts';
export { pathTemplate } from './flows/path-template.ts';
export { NameTable, TooManyNamesError } from './name-table.ts';
