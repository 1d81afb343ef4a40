import { registerHooks } from 'node:module';

let registered = false;

/**
 * Lets scenario and bench files anywhere on disk `import … from '@headroom/core'`,
 * even outside this checkout (where no node_modules has it), by resolving the
 * specifier to the copy headroom itself runs with. Uses Node's in-thread module hooks; idempotent.
 */
export function allowHeadroomImports(): void {
  if (registered) return;
  registered = true;
  const core = import.meta.resolve('@headroom/core');
  // TypeScript sources in this checkout; the built JavaScript once installed from the registry
  // (Node refuses to strip types under node_modules).
  const format = core.endsWith('.ts') ? 'module-typescript' : 'module';
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === '@headroom/core') return { url: core, format, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
