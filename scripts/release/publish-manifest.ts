/**
 * The package.json that goes into a published tarball, and putting the checkout's back.
 *
 * Why rewrite package.json at all: inside this repo `exports` must resolve to src/*.ts (Node 24
 * strips types, no build step), while the published package must point at dist/*.js, because
 * Node refuses to strip types under node_modules and Node 22 users need JavaScript. npm ignores
 * `publishConfig.exports` (only pnpm and yarn apply it), and Node has no condition that is on
 * only inside this checkout. So `prepack` applies the `publishConfig` overrides to package.json
 * (npm reads the manifest and the files again after prepack: verified by the fresh-project
 * test, which installs the tarballs), and `postpack` restores the checkout's file from a backup.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A package.json, as far as the release reads it. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  repository?: { type: string; url: string; directory?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The backup of the checkout's package.json while a pack is under way. */
const BACKUP = 'package.json.checkout';
/** publishConfig keys npm itself understands (registry settings); every other key is a field override. */
const NPM_PUBLISH_SETTINGS = new Set(['access', 'registry', 'tag', 'provenance']);

export const REPO_ROOT = join(import.meta.dirname, '../..');

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Puts the checkout's package.json back if an earlier pack stopped between prepack and postpack. */
export function restoreManifest(dir: string): boolean {
  const backup = join(dir, BACKUP);
  if (!existsSync(backup)) return false;
  renameSync(backup, join(dir, 'package.json'));
  rmSync(join(dir, 'LICENSE'), { force: true });
  return true;
}

/**
 * Writes the published package.json: `publishConfig` field overrides applied, `dependencies`
 * replaced when given, dev-only fields dropped, `repository` from the root with this package's
 * directory; copies the root LICENSE in. The checkout's file is kept as a backup for postpack.
 */
export function applyPublishManifest(dir: string, dependencies?: Record<string, string>): Manifest {
  restoreManifest(dir);
  const own = readManifest(dir);
  const root = readManifest(REPO_ROOT);
  const { publishConfig = {}, devDependencies: _dev, ...rest } = own;
  const overrides = Object.fromEntries(Object.entries(publishConfig).filter(([k]) => !NPM_PUBLISH_SETTINGS.has(k)));
  const settings = Object.fromEntries(Object.entries(publishConfig).filter(([k]) => NPM_PUBLISH_SETTINGS.has(k)));
  const published: Manifest = {
    ...rest,
    ...overrides,
    ...(root.repository ? { repository: { ...root.repository, directory: relative(REPO_ROOT, dir) } } : {}),
    ...(dependencies ? { dependencies } : {}),
    ...(Object.keys(settings).length > 0 ? { publishConfig: settings } : {}),
  };
  copyFileSync(join(dir, 'package.json'), join(dir, BACKUP));
  copyFileSync(join(REPO_ROOT, 'LICENSE'), join(dir, 'LICENSE'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  return published;
}
