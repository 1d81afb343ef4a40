/**
 * Loads a bench file (TypeScript, `export default defineBench({...})`) with Node's native type
 * stripping, and validates it with core's validateBench: every problem at once, exit 2.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, ValidationError, allowHeadroomImports, validateBench, type Bench } from '@headroom/core';

export interface LoadBenchOptions {
  /** CPUs of this machine, for validating `cpus`. @default os.availableParallelism() */
  cpuCount?: number;
}

/** Imports and validates a bench file. Throws UsageError (missing file) or ValidationError (bad content). */
export async function loadBench(file: string, options: LoadBenchOptions = {}): Promise<Bench> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`bench file not found: ${file}`);
  let mod: { default?: unknown };
  allowHeadroomImports(); // bench files outside this checkout can still import '@headroom/core'
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw new ValidationError(file, [{ path: '(file)', message: `could not be loaded: ${e instanceof Error ? e.message : String(e)}`, hint: 'bench files must be ESM TypeScript that Node can type-strip (no enums or namespaces)' }]);
  }
  if (mod.default === undefined) {
    throw new ValidationError(file, [{ path: '(default export)', message: 'is missing', hint: "write `export default defineBench({ name, tasks: { ... } })`" }]);
  }
  return validateBench(mod.default, options.cpuCount === undefined ? { file: path } : { file: path, cpuCount: options.cpuCount });
}
