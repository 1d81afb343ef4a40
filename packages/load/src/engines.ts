import type { WorkerPlan } from '@headroom/internal';
import { autocannonEngine } from './autocannon-engine.ts';
import type { Engine } from './engine.ts';
import { headroomEngine } from './headroom-engine.ts';

/** Engines by the name a scenario's `workers.engine` uses. */
export const ENGINES: Readonly<Record<WorkerPlan['engine'], Engine>> = {
  headroom: headroomEngine,
  autocannon: autocannonEngine,
};

export function engineFor(name: WorkerPlan['engine']): Engine {
  return ENGINES[name];
}
