/**
 * Sample files for `headroom compare`: JSON (headroom's own format) or Go's benchmark text
 * format. Detection is by content: a file whose first non-blank character is `{` or `[` is JSON.
 *
 * JSON format (one object, or an array of them for several units):
 *   { "unit": "ns/op", "label": "optional column header", "better": "lower" (optional; else from the unit),
 *     "benchmarks": { "parse": [1210, 1198, 1250], "stringify": [830, 845, 828] } }
 * Each array holds one number per independent run.
 */
import { Checker, ValidationError, joinPath } from '@headroom/core';
import { parseGoBench } from './parse-go-bench.ts';
import type { SampleSet } from './sample-set.ts';

/** Parses a sample file's text; `name` (usually the file name) labels the sets and the errors. Always returns a list. */
export function parseSampleFile(text: string, name: string): SampleSet[] {
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') return parseJsonSamples(text, name);
  return parseGoBench(text, name);
}

function parseJsonSamples(text: string, name: string): SampleSet[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(name, [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const c = new Checker();
  const items = Array.isArray(raw) ? raw : [raw];
  const sets: SampleSet[] = [];
  items.forEach((item, i) => {
    const base = Array.isArray(raw) ? `[${i}]` : '';
    const o = c.object(item, base || '(root)');
    if (!o) return;
    c.known(o, base, ['unit', 'label', 'better', 'benchmarks']);
    const unit = c.string(o['unit'], joinPath(base, 'unit'));
    const label = o['label'] === undefined ? name : c.string(o['label'], joinPath(base, 'label'));
    const better = o['better'];
    if (better !== undefined && better !== 'higher' && better !== 'lower')
      c.add(joinPath(base, 'better'), `expected "higher" or "lower", got ${JSON.stringify(better)}`, '"better": "higher"');
    const bPath = joinPath(base, 'benchmarks');
    const b = c.object(o['benchmarks'], bPath);
    const benchmarks = new Map<string, number[]>();
    if (b) {
      if (Object.keys(b).length === 0) c.add(bPath, 'has no benchmarks', '{"name": [1.2, 1.3, 1.1]}');
      for (const [k, v] of Object.entries(b)) {
        const p = joinPath(bPath, k);
        if (!Array.isArray(v) || v.length === 0) {
          c.add(p, 'expected a non-empty array of numbers, one per run');
          continue;
        }
        const values: number[] = [];
        v.forEach((x, j) => {
          if (typeof x === 'number' && Number.isFinite(x)) values.push(x);
          else c.add(`${p}[${j}]`, `expected a number, got ${JSON.stringify(x)}`);
        });
        benchmarks.set(k, values);
      }
    }
    if (unit && label)
      sets.push({ label, unit, benchmarks, ...(better === 'higher' || better === 'lower' ? { higherIsBetter: better === 'higher' } : {}) });
  });
  if (c.issues.length > 0) throw new ValidationError(name, c.issues);
  return sets;
}
