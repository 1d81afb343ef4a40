import { validateScenario, type Scenario } from '@headroom/core';
import { importDefault } from '@headroom/internal';

/** Imports a scenario file and validates it: every problem reported at once, nothing started. */
export async function loadScenario(file: string): Promise<Scenario> {
  const { path, value } = await importDefault(file, {
    kind: 'scenario',
    example: 'export default defineScenario({...})',
    missingHint: 'try scenarios/quickstart.ts',
  });
  return validateScenario(value, { file: path });
}
