/**
 * Builds a package users import (core, nx) with tsc: one JavaScript file and one .d.ts per
 * source file in dist/, relative imports rewritten from .ts to .js (tsconfig.build.json).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './publish-manifest.ts';

export function buildLibrary(dir: string): void {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}
