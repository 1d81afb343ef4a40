/**
 * @headroom/internal: the contracts between headroom's own processes and packages, which
 * users never import: the orchestrator ↔ load-worker protocol, the HDR histogram codec,
 * CPU pinning and its read-back, loading of user files (scenario and bench modules), and the
 * seeded random streams the load generator's Poisson arrivals draw from.
 */
export {
  createHistogram,
  recordUs,
  LatencyCounts,
  encodeHistogram,
  decodeHistogram,
  mergeEncoded,
  summarize,
  measuredMs,
  cumulativeCounts,
} from './histogram.ts';
export type { Histogram, LatencySummary } from './histogram.ts';
export type {
  ErrorKind,
  ErrorCounts,
  WorkerPlan,
  WorkerScript,
  NameEnd,
  CheckEnd,
  FlowEnd,
  RunnerToWorker,
  WorkerToRunner,
  WorkerTick,
  WorkerPhaseEnd,
  Counts,
  TraceSample,
} from './protocol.ts';
export {
  parseCpuList,
  readThreadAffinity,
  mergeAffinity,
  unionCpus,
  pinnedTo,
  readPinning,
  pinSelf,
  pinned,
  pinningWarnings,
} from './pinning.ts';
export type { ThreadAffinity, Pinning } from './pinning.ts';
export { allowHeadroomImports } from './resolve-hook.ts';
export { importDefault } from './import-default.ts';
export type { ImportDefaultOptions } from './import-default.ts';
export { xoshiro128 } from './random/xoshiro128.ts';
export type { Xoshiro128 } from './random/xoshiro128.ts';
export { createPoissonArrivals, poissonGaps, poissonSchedule } from './random/poisson-arrivals.ts';
export type { PoissonArrivals, PoissonArrivalsOptions } from './random/poisson-arrivals.ts';
