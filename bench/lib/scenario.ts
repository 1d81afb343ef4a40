/** Builds a validated scenario and its worker plans the way the runner does. */
import { validateScenario } from '@headroom/core';
import type { ScenarioInput, WorkerPlan } from '@headroom/core';
import { planWorkers } from '@headroom/load';

export function plansFor(input: ScenarioInput, workers = 1, startInMs = 300): WorkerPlan[] {
  const scenario = validateScenario(input, { file: 'bench.ts', cpuCount: 2 });
  return planWorkers(scenario, workers, Date.now() + startInMs);
}
