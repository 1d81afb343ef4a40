/**
 * @headroom/load — load generation: closed and open models, phases and steps, per-worker
 * HDR histograms encoded for exact merging, and the worker process the runner spawns.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the load worker's entry file, to spawn with `taskset -c <cpus> node <WORKER_ENTRY>`. */
export const WORKER_ENTRY: string = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

export { planWorkers } from './plan-workers.ts';
export { runWorker } from './worker.ts';
export type { WorkerHandle } from './worker.ts';
export { arrivalSchedule } from './arrival-schedule.ts';
export type { ArrivalSchedule, ScheduleOptions } from './arrival-schedule.ts';
export { timeline } from './timeline.ts';
export type { RunUnit } from './timeline.ts';
export { ENGINES, engineFor } from './engines.ts';
export type { Engine, EngineContext, UnitRun } from './engine.ts';
export { ResponseParser } from './response-parser.ts';
export { RequestMix } from './request-mix.ts';
export { encodeRequest } from './encode-request.ts';
export type { EncodedRequest } from './encode-request.ts';
