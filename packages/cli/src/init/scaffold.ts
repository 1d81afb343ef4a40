/**
 * Writes what `headroom init` scaffolds into a folder: the scenario, the example bench file,
 * and `results/` in .gitignore (created, or appended once). Existing scenario files are never
 * overwritten without `force`, and nothing is written when one would be.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { UsageError, validateScenario } from '@headroom/core';
import { scenarioFor, type InitAnswers } from './answers.ts';
import { benchTemplate, scenarioTemplate } from './templates.ts';

export interface ScaffoldOptions {
  /** Overwrite scenario files that exist. @default false */
  force?: boolean;
  /** CPUs to plan for. @default os.availableParallelism() */
  cpuCount?: number;
}

/** What was written, relative to the folder. */
export interface ScaffoldResult {
  scenario: string;
  bench: string;
  /** What happened to .gitignore. */
  gitignore: 'created' | 'appended' | 'unchanged';
}

/** The line that keeps headroom's store and artifacts out of git. */
const IGNORE = 'results/';

/** Scaffolds into `dir`; the scenario is validated (every problem at once) before anything is written. */
export function scaffold(dir: string, answers: InitAnswers, options: ScaffoldOptions = {}): ScaffoldResult {
  const cpuCount = options.cpuCount ?? availableParallelism();
  const input = scenarioFor(answers, cpuCount);
  const scenarioPath = join(dir, 'scenarios', `${answers.name}.ts`);
  const benchPath = join(dir, 'scenarios', `${answers.name}.bench.ts`);
  validateScenario(input, { file: relative(dir, scenarioPath), cpuCount });
  const existing = [scenarioPath, benchPath].filter((f) => existsSync(f));
  if (existing.length > 0 && options.force !== true)
    throw new UsageError(
      `headroom init: ${existing.map((f) => relative(dir, f)).join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite, or --name for another scenario`,
    );
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(scenarioPath, scenarioTemplate(input));
  writeFileSync(benchPath, benchTemplate(answers.name, input.workers?.cpus?.[0] ?? 0));
  return { scenario: relative(dir, scenarioPath), bench: relative(dir, benchPath), gitignore: ignoreResults(join(dir, '.gitignore')) };
}

/** Adds `results/` to a .gitignore unless a line already ignores it. */
function ignoreResults(file: string): ScaffoldResult['gitignore'] {
  if (!existsSync(file)) {
    writeFileSync(file, `${IGNORE}\n`);
    return 'created';
  }
  const text = readFileSync(file, 'utf8');
  if (text.split(/\r?\n/).some((l) => /^\/?results(\/(\*\*?)?)?$/.test(l.trim()))) return 'unchanged';
  writeFileSync(file, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${IGNORE}\n`);
  return 'appended';
}
