/** Builds a validated scenario and its worker plans the way the runner does. */
import { validateScenario } from '@headroom/core';
import type { ScenarioInput } from '@headroom/core';
import type { WorkerPlan } from '@headroom/internal';
import { planWorkers } from '@headroom/load';

/** `startInMs`: how far ahead the common start is, so workers are up and waiting when it comes (as the runner should). */
export function plansFor(input: ScenarioInput, workers = 1, startInMs = 2000): WorkerPlan[] {
  const scenario = validateScenario(input, { file: 'bench.ts', cpuCount: 2 });
  return planWorkers(scenario, workers, Date.now() + startInMs);
}
