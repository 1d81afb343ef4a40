/**
 * Builds the published `@headroom/cli`: every internal package (runner, load, bench, capture,
 * store, analysis, report, internal) bundled with esbuild into dist/ as ESM for Node 22+, so
 * users install one package and headroom's internal APIs stay internal. What is not bundled:
 * - `@headroom/core`, the package users import in their scenario files: a real dependency, so
 *   their `defineScenario` and headroom's validation are one copy;
 * - every third-party package (DuckDB, pprof, piscina, OpenTelemetry, autocannon, …): real
 *   dependencies, installed by npm for the user's platform (native addons cannot be bundled,
 *   and OpenTelemetry's instrumentation patches modules as they load).
 *
 * Entry files the code starts at run time (load workers, the service supervisor, the capture
 * agent and its I/O thread, bench workers) are written as `new URL('./x.ts', import.meta.url)`
 * in the sources. They become entry points of their own, all outputs go flat into dist/, and
 * those references are rewritten to `./x.js` (the build fails on one it cannot map). The
 * report's browser bundle is built once here (dist/report-client.json) instead of on first use.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { buildClientBundle, PREBUILT_CLIENT_FILE } from '@headroom/report/html/bundle.ts';
import { REPO_ROOT, readManifest } from './publish-manifest.ts';

/** `new URL('./worker-main.ts', import.meta.url)`: a file the code starts at run time. */
const ENTRY_REF = /new URL\((['"])(\.{1,2}\/[^'"]+?\.ts)\1, import\.meta\.url\)/g;
/** The published package: users import it, so it stays a dependency. */
const USER_PACKAGE = '@headroom/core';
/** Dependencies only the report's browser bundle uses; it is prebuilt, so they are not installed. */
const CLIENT_ONLY = new Set(['esbuild', 'uplot']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

/** Every run-time entry file referenced from the internal packages' sources, by its output name. */
function runtimeEntries(): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const pkg of readdirSync(join(REPO_ROOT, 'packages'))) {
    for (const file of sourceFiles(join(REPO_ROOT, 'packages', pkg, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(ENTRY_REF)) byPath.set(resolve(dirname(file), m[2] as string), '');
    }
  }
  const names = new Set<string>();
  for (const path of byPath.keys()) {
    const name = basename(path, '.ts');
    if (names.has(name)) throw new Error(`two run-time entry files are named ${name}.ts: give them distinct names`);
    names.add(name);
    byPath.set(path, name);
  }
  return byPath;
}

/** Bundles the CLI into `dir`/dist and returns the dependencies the published package needs. */
export async function bundleCli(dir: string): Promise<Record<string, string>> {
  const out = join(dir, 'dist');
  rmSync(out, { recursive: true, force: true });
  const entries = runtimeEntries();
  const result = await esbuild.build({
    entryPoints: [{ in: join(dir, 'src/main.ts'), out: 'main' }, ...[...entries].map(([path, name]) => ({ in: path, out: name }))],
    absWorkingDir: REPO_ROOT,
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'headroom-internal',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('@headroom/') && args.path !== USER_PACKAGE && !args.path.startsWith(`${USER_PACKAGE}/`))
              return undefined;
            return { path: args.path, external: true };
          });
          build.onLoad({ filter: /[/\\]packages[/\\][^/\\]+[/\\]src[/\\].*\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            const contents = source.replace(ENTRY_REF, (_all, _q: string, rel: string) => {
              const name = entries.get(resolve(dirname(args.path), rel));
              if (!name) throw new Error(`${args.path}: ${rel} is not a run-time entry`);
              return `new URL('./${name}.js', import.meta.url)`;
            });
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  writeFileSync(join(out, PREBUILT_CLIENT_FILE), JSON.stringify(buildClientBundle()));
  return publishedDependencies(result.metafile);
}

/**
 * The third-party dependencies of every internal package the bundle took code from (some are
 * loaded by name at run time, e.g. autocannon through createRequire, so the imports the bundle
 * keeps are checked against this list rather than being the list), plus `@headroom/core`.
 */
function publishedDependencies(metafile: esbuild.Metafile): Record<string, string> {
  const used = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /(?:^|\/)packages\/([^/]+)\/src\//.exec(input);
    if (m) used.add(m[1] as string);
  }
  const deps: Record<string, string> = {};
  for (const pkg of [...used].sort()) {
    for (const [name, version] of Object.entries(readManifest(join(REPO_ROOT, 'packages', pkg)).dependencies ?? {})) {
      if (name.startsWith('@headroom/') || CLIENT_ONLY.has(name)) continue;
      if (deps[name] !== undefined && deps[name] !== version) throw new Error(`${name}: packages ask for ${deps[name]} and ${version}`);
      deps[name] = version;
    }
  }
  deps[USER_PACKAGE] = readManifest(join(REPO_ROOT, 'packages/core')).version;
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || imp.path.startsWith('.')) continue;
      const name = imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : (imp.path.split('/')[0] as string);
      if (deps[name] === undefined && !builtinModules.includes(name))
        throw new Error(`the bundle imports ${imp.path}, which no bundled package depends on`);
    }
  }
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}
