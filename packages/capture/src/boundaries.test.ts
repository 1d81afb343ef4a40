/**
 * The process split of capture, checked on the import graph: what runs in the runner
 * (`receive/`) never loads what is preloaded into the service (`agent/`), the agent never
 * loads the receivers, and the profile format (`profile/`) loads neither. Imports are read
 * with TypeScript's own pre-processor (static, re-exports and dynamic `import()`), and followed
 * transitively through relative paths.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The module specifiers `source` imports, re-exports or imports dynamically. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Every file under src/ reached from `entries` through relative imports, as paths relative to src/. */
function reachable(entries: string[]): Map<string, string> {
  const via = new Map<string, string>();
  const todo: [string, string][] = entries.map((e) => [e, '(entry)']);
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [file, from] = next;
    if (via.has(file)) continue;
    via.set(file, from);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) todo.push([resolve(dirname(file), spec), file]);
    }
  }
  return new Map([...via].map(([f, from]) => [relative(SRC, f), from === '(entry)' ? from : relative(SRC, from)]));
}

/** Non-test sources of one folder of src/. */
function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(SRC, folder, f));
}

/** Reached files under `forbidden`, each with the file that imported it. */
function violations(folder: string, forbidden: string[]): string[] {
  return [...reachable(sources(folder))]
    .filter(([f]) => forbidden.some((x) => f.startsWith(`${x}/`)))
    .map(([f, from]) => `${from} -> ${f}`);
}

describe('capture import boundaries', () => {
  it('reads static, type-only, re-exported and dynamic imports', () => {
    const src =
      "import a from './a.ts';\nimport type { B } from '../agent/b.ts';\nexport { c } from './c.ts';\nconst d = await import('./d.ts');";
    expect(importsOf(src)).toEqual(['./a.ts', '../agent/b.ts', './c.ts', './d.ts']);
  });

  it('finds a crossing when there is one (the agent reaches its own folder)', () => {
    expect(violations('agent', ['agent']).length).toBeGreaterThan(0);
  });

  it('receive/ (the runner side) imports nothing from agent/', () => {
    expect(violations('receive', ['agent'])).toEqual([]);
  });

  it('agent/ (the service side) imports nothing from receive/', () => {
    expect(violations('agent', ['receive'])).toEqual([]);
  });

  it('profile/ (the format) imports neither agent/ nor receive/', () => {
    expect(violations('profile', ['agent', 'receive', 'perf'])).toEqual([]);
  });

  it('perf/ (perf run from the runner) imports nothing from agent/ or receive/', () => {
    expect(violations('perf', ['agent', 'receive'])).toEqual([]);
  });

  it('agent/ imports nothing from perf/', () => {
    expect(violations('agent', ['perf'])).toEqual([]);
  });

  it('the runner entry point (index.ts) reaches no agent code', () => {
    expect([...reachable([join(SRC, 'index.ts')])].filter(([f]) => f.startsWith('agent/'))).toEqual([]);
  });
});
