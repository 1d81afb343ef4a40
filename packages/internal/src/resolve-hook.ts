import { registerHooks } from 'node:module';

let registered = false;

/**
 * Lets scenario and bench files anywhere on disk `import … from '@headroom/core'`,
 * even outside this checkout (where no node_modules has it), by resolving the
 * specifier to this package. Uses Node's in-thread module hooks; idempotent.
 */
export function allowHeadroomImports(): void {
  if (registered) return;
  registered = true;
  const core = import.meta.resolve('@headroom/core');
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === '@headroom/core') return { url: core, format: 'module-typescript', shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
