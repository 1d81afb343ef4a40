/**
 * Infers, for each Nx project that has headroom scenario or bench files under a `scenarios/`
 * folder, three targets that run them with the `headroom` command from the project's root:
 * `headroom-run` (every scenario), `headroom-bench` (every `*.bench.ts`) and `headroom-check`
 * (every scenario through `headroom check`). They are never cached (a measurement is not a
 * function of its inputs) and take the project's files as inputs, so `nx affected` picks the
 * projects a change touches. A file belongs to the nearest folder above it with a package.json
 * or project.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import type { CreateNodes, CreateNodesResult } from 'nx/src/project-graph/plugins';

/** Plugin options, from nx.json. */
export interface HeadroomNxOptions {
  /** Prefix of the inferred targets' names. @default 'headroom-' */
  targetPrefix?: string;
  /** The command that runs headroom. @default 'npx headroom' */
  command?: string;
}

export const HEADROOM_NX_DEFAULTS = { targetPrefix: 'headroom-', command: 'npx headroom' } as const;

/** Scenario and bench files: TypeScript directly in a `scenarios/` folder, anywhere in the workspace. */
const PATTERN = '**/scenarios/*.ts';

type Targets = NonNullable<NonNullable<CreateNodesResult['projects']>[string]['targets']>;

const toPosix = (p: string) => p.split(sep).join(posix.sep);

/** The project root (relative to the workspace, '.' for the root) a file belongs to, or null. */
function projectRootOf(file: string, workspaceRoot: string): string | null {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(workspaceRoot, dir, 'package.json')) || existsSync(join(workspaceRoot, dir, 'project.json'))) return toPosix(dir);
    if (dir === '.' || dir === '') return null;
    dir = dirname(dir);
  }
}

/** The targets for one project's files (paths relative to the project root). */
export function headroomTargets(files: readonly string[], options: HeadroomNxOptions = {}): Targets {
  const prefix = options.targetPrefix ?? HEADROOM_NX_DEFAULTS.targetPrefix;
  const cli = options.command ?? HEADROOM_NX_DEFAULTS.command;
  const sorted = [...files].sort();
  const benches = sorted.filter((f) => f.endsWith('.bench.ts'));
  const scenarios = sorted.filter((f) => !f.endsWith('.bench.ts'));
  const target = (description: string, commands: string[]) => ({
    executor: 'nx:run-commands',
    cache: false,
    // Nothing else runs beside a measurement.
    parallelism: false,
    inputs: ['default', '^default'],
    options: { cwd: '{projectRoot}', parallel: false, commands },
    metadata: { description, technologies: ['headroom'] },
  });
  const targets: Targets = {};
  if (scenarios.length > 0) {
    targets[`${prefix}run`] = target(
      'Load test: headroom run of every scenario',
      scenarios.map((f) => `${cli} run ${f}`),
    );
    targets[`${prefix}check`] = target(
      'Release check: thresholds, budgets and regressions of every scenario',
      scenarios.map((f) => `${cli} check ${f}`),
    );
  }
  if (benches.length > 0)
    targets[`${prefix}bench`] = target(
      'Microbenchmarks: headroom bench of every bench file',
      benches.map((f) => `${cli} bench ${f}`),
    );
  return targets;
}

/** The files Nx matched, grouped by project and turned into that project's targets (one result per project). */
function inferTargets(
  files: readonly string[],
  options: HeadroomNxOptions | undefined,
  workspaceRoot: string,
): [string, CreateNodesResult][] {
  const byRoot = new Map<string, string[]>();
  for (const file of files) {
    if (file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
    const root = projectRootOf(file, workspaceRoot);
    if (root === null) continue;
    byRoot.set(root, [...(byRoot.get(root) ?? []), toPosix(relative(root, file))]);
  }
  return [...byRoot].map(([root, own]) => [
    join(root, own[0] as string),
    { projects: { [root]: { targets: headroomTargets(own, options) } } },
  ]);
}

/** The plugin's entry, as Nx 20+ loads it. */
export const createNodes: CreateNodes<HeadroomNxOptions> = [
  PATTERN,
  (files, options, context) => inferTargets(files, options, context.workspaceRoot),
];

/** The same entry under the name Nx 19 to 21 looked for. */
export const createNodesV2: CreateNodes<HeadroomNxOptions> = createNodes;
