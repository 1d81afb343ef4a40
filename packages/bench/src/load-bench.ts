/**
 * Loads a bench file (TypeScript, `export default defineBench({...})`) with Node's native type
 * stripping, and validates it with core's validateBench: every problem at once, exit 2.
 */
import { validateBench, type Bench } from '@headroom/core';
import { importDefault } from '@headroom/internal';

export interface LoadBenchOptions {
  /** The CPUs the bench's `cpus` may name (its default is the last). @default this process's affinity */
  cpus?: readonly number[];
}

/** Imports and validates a bench file. Throws UsageError (missing file) or ValidationError (bad content). */
export async function loadBench(file: string, options: LoadBenchOptions = {}): Promise<Bench> {
  const { path, value } = await importDefault(file, { kind: 'bench', example: 'export default defineBench({ name, tasks: { ... } })' });
  return validateBench(value, options.cpus === undefined ? { file: path } : { file: path, cpus: options.cpus });
}
