/**
 * Writes what `headroom init` scaffolds into a folder: the scenario, the example bench file,
 * and `results/` in .gitignore (created, or appended once). Existing scenario files are never
 * overwritten without `force`, and nothing is written when one would be.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError, allowedCpus, validateScenario } from '@headroom/core';
import { scenarioFor, type InitAnswers } from './answers.ts';
import { benchTemplate, scenarioTemplate } from './templates.ts';

export interface ScaffoldOptions {
  /** Overwrite scenario files that exist. @default false */
  force?: boolean;
  /** CPUs to plan for. @default this process's affinity (core's allowedCpus) */
  cpus?: readonly number[];
}

/** What was written, relative to the folder. */
export interface ScaffoldResult {
  scenario: string;
  bench: string;
  /** What happened to .gitignore. */
  gitignore: 'created' | 'appended' | 'unchanged';
  /**
   * `scenarios/package.json` with `"type": "module"`, written when the project is not ESM (npm init
   * writes `"type": "commonjs"`): Node would otherwise read the scenario's `import` lines as CommonJS.
   */
  moduleMarker: 'created' | 'unneeded';
}

/** The line that keeps headroom's store and artifacts out of git. */
const IGNORE = 'results/';

/** Scaffolds into `dir`; the scenario is validated (every problem at once) before anything is written. */
export function scaffold(dir: string, answers: InitAnswers, options: ScaffoldOptions = {}): ScaffoldResult {
  const cpus = options.cpus ?? allowedCpus();
  const input = scenarioFor(answers, cpus);
  const scenarioPath = join(dir, 'scenarios', `${answers.name}.ts`);
  const benchPath = join(dir, 'scenarios', `${answers.name}.bench.ts`);
  validateScenario(input, { file: relative(dir, scenarioPath), cpus });
  const existing = [scenarioPath, benchPath].filter((f) => existsSync(f));
  if (existing.length > 0 && options.force !== true)
    throw new UsageError(
      `headroom init: ${existing.map((f) => relative(dir, f)).join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite, or --name for another scenario`,
    );
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(scenarioPath, scenarioTemplate(input));
  writeFileSync(benchPath, benchTemplate(answers.name, input.workers?.cpus?.[0] ?? 0));
  return {
    scenario: relative(dir, scenarioPath),
    bench: relative(dir, benchPath),
    gitignore: ignoreResults(join(dir, '.gitignore')),
    moduleMarker: markModule(dir),
  };
}

/**
 * Scenario and bench files are ES modules (they `import` from @headroom/core). Node decides a .ts
 * file's module type from the nearest package.json: in a project whose package.json says
 * `"type": "commonjs"` (npm init's default) or nothing (Node then warns on every run), a
 * `scenarios/package.json` of `{ "type": "module" }` makes the folder ESM without touching the project.
 */
function markModule(dir: string): ScaffoldResult['moduleMarker'] {
  const marker = join(dir, 'scenarios', 'package.json');
  if (existsSync(marker)) return 'unneeded';
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  if (type === 'module') return 'unneeded';
  writeFileSync(marker, `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
  return 'created';
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
