import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, ValidationError, allowHeadroomImports, validateScenario, type Scenario } from '@headroom/core';

/**
 * Imports a scenario file (TypeScript, default export, run by Node's type stripping:
 * no build step) and validates it. Every problem is reported at once; nothing starts.
 */
export async function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`scenario file ${file} does not exist; try scenarios/quickstart.ts`);
  allowHeadroomImports();
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    const e = err as Error;
    throw new ValidationError(file, [{ path: '', message: `could not load the file: ${e.message.split('\n')[0]}`, hint: 'a scenario is a .ts file with `export default defineScenario({...})`' }]);
  }
  if (mod.default === undefined) throw new ValidationError(file, [{ path: '', message: 'has no default export', hint: 'write `export default defineScenario({...})`' }]);
  return validateScenario(mod.default, { file: path });
}
