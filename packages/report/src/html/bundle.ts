/**
 * The report page's script and styles (uPlot, the flame graph, the waterfalls). The published
 * package ships them prebuilt next to its code (`report-client.json`, written at `npm pack` by
 * scripts/release); in this checkout they are bundled with
 * esbuild on first use and cached under the nearest node_modules/.cache/headroom-report/,
 * keyed by a hash of the client sources, uPlot's and esbuild's versions. Why not a `prepare` or
 * `postinstall` script: headroom runs from its TypeScript sources with no build step, a
 * bundle made at install time goes stale as soon as a client file is edited (the hash key
 * cannot), and npm's install-script policy in this repo already blocks esbuild's own
 * postinstall. Bundling takes ~50 ms once; later reports read the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled client: one IIFE script and one stylesheet. */
export interface ClientBundle {
  js: string;
  css: string;
  cached: boolean;
}

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
/** The prebuilt bundle's file name, next to the module that renders reports. */
export const PREBUILT_CLIENT_FILE = 'report-client.json';
/** The bundle an installed headroom ships (absent in this checkout, where the sources are). */
const PREBUILT = fileURLToPath(new URL(`./${PREBUILT_CLIENT_FILE}`, import.meta.url));
const require = createRequire(import.meta.url);

let memo: ClientBundle | null = null;

function sourceKey(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(CLIENT_DIR)
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
    .sort()) {
    h.update(f).update(readFileSync(join(CLIENT_DIR, f)));
  }
  for (const pkg of ['uplot/package.json', 'esbuild/package.json'])
    h.update(JSON.parse(readFileSync(require.resolve(pkg), 'utf8')).version);
  return h.digest('hex').slice(0, 16);
}

/** The nearest node_modules/.cache above this package, or null when there is none. */
function cacheDir(): string | null {
  let dir = CLIENT_DIR;
  for (;;) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'headroom-report');
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Bundles the client sources with esbuild (also what scripts/release writes to PREBUILT_CLIENT_FILE). */
export function buildClientBundle(): { js: string; css: string } {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [join(CLIENT_DIR, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    outdir: 'out',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  return { js, css };
}

/** The client bundle, from the cache when its sources have not changed. */
export function clientBundle(): ClientBundle {
  if (memo) return memo;
  if (existsSync(PREBUILT))
    return (memo = { ...(JSON.parse(readFileSync(PREBUILT, 'utf8')) as { js: string; css: string }), cached: true });
  const key = sourceKey();
  const dir = cacheDir();
  const file = dir ? join(dir, `client-${key}.json`) : null;
  if (file && existsSync(file)) {
    try {
      const b = JSON.parse(readFileSync(file, 'utf8')) as { js: string; css: string };
      return (memo = { ...b, cached: true });
    } catch {
      /* a torn cache file is rebuilt below */
    }
  }
  const b = buildClientBundle();
  if (file && dir) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(b));
      renameSync(tmp, file);
      // Bundles of earlier sources are never read again.
      for (const old of readdirSync(dir))
        if (old.startsWith('client-') && join(dir, old) !== file && old.endsWith('.json')) rmSync(join(dir, old), { force: true });
    } catch {
      /* a read-only node_modules only costs the bundling time on every run */
    }
  }
  return (memo = { ...b, cached: false });
}
