import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, ValidationError } from '@headroom/core';
import { allowHeadroomImports } from './resolve-hook.ts';

export interface ImportDefaultOptions {
  /** What the file is, for messages: 'scenario', 'bench'. */
  kind: string;
  /** The export users must write, e.g. "export default defineScenario({...})". */
  example: string;
  /** Added to the not-found message, e.g. "try scenarios/quickstart.ts". */
  missingHint?: string;
}

/**
 * Imports a user's TypeScript file (Node's type stripping, no build step) and returns its
 * default export with the absolute path. `@headroom/core` resolves from any directory.
 * A missing file is a usage error; one that cannot load or has no default export is a
 * validation error (exit 2), so nothing starts.
 */
export async function importDefault(file: string, options: ImportDefaultOptions): Promise<{ path: string; value: unknown }> {
  const path = resolve(file);
  if (!existsSync(path))
    throw new UsageError(
      `${options.kind} file not found: ${file}${options.missingHint ? `; ${options.missingHint}` : ''}`,
      'E_FILE_NOT_FOUND',
    );
  allowHeadroomImports();
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ValidationError(file, [
      {
        path: '(file)',
        message: `could not be loaded: ${message}`,
        hint: `a ${options.kind} file is ESM TypeScript that Node can type-strip (no enums or namespaces) with \`${options.example}\``,
      },
    ]);
  }
  if (mod.default === undefined)
    throw new ValidationError(file, [{ path: '(default export)', message: 'is missing', hint: `write \`${options.example}\`` }]);
  return { path, value: mod.default };
}
