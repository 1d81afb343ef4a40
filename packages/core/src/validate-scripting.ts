import type { Checker } from './checker.ts';
import { join } from './checker.ts';
import { readDataFile } from './data/data-source.ts';
import type { DataExhausted, DataPick, DataSpec } from './data/data-source.ts';
import type { FlowSpec } from './scenario.ts';

const PICKS: readonly DataPick[] = ['sequential', 'random', 'unique-per-iteration', 'unique-per-vu'];
const EXHAUSTED: readonly DataExhausted[] = ['cycle', 'stop'];
/** Names of flows, data sources and checks: they become column values and threshold keys. */
const NAME_RE = /^[A-Za-z_][\w.-]*$/;

/** Validates `flows`: each a function or `{ fn, weight }`. */
export function checkFlows(c: Checker, raw: unknown): FlowSpec[] {
  const o = c.object(raw, 'flows', false);
  if (!o) return [];
  const out: FlowSpec[] = [];
  if (Object.keys(o).length === 0) c.add('flows', 'is empty', 'give at least one flow: { browse: async (vu) => { await vu.get("/") } }');
  for (const [name, v] of Object.entries(o)) {
    const p = join('flows', name);
    if (!NAME_RE.test(name)) c.add(p, `flow name "${name}" must start with a letter or _ and hold only letters, digits, _ . -`);
    if (typeof v === 'function') {
      out.push({ name, weight: 1 });
      continue;
    }
    const f = c.object(v, p);
    if (!f) continue;
    c.known(f, p, ['fn', 'weight']);
    if (typeof f['fn'] !== 'function') c.add(join(p, 'fn'), 'must be a function', 'fn: async (vu) => { … }');
    const weight = f['weight'] === undefined ? 1 : c.number(f['weight'], join(p, 'weight'), { exclusiveMin: 0 });
    if (weight !== undefined && typeof f['fn'] === 'function') out.push({ name, weight });
  }
  return out;
}

/** Validates `checks` of a request: an object of functions. Returns the check names. */
export function checkChecks(c: Checker, raw: unknown, path: string): string[] {
  const o = c.object(raw, path, false);
  if (!o) return [];
  const names: string[] = [];
  for (const [name, fn] of Object.entries(o)) {
    if (typeof fn !== 'function')
      c.add(
        join(path, name),
        `a check must be a function, got ${fn === null ? 'null' : typeof fn}`,
        `write '${name}': (r) => r.status === 200`,
      );
    else names.push(name);
  }
  return names;
}

/** Validates `data`, reading each file relative to the scenario file; a bad row is reported with its line. */
export function checkData(c: Checker, raw: unknown, scenarioFile: string): DataSpec[] {
  const o = c.object(raw, 'data', false);
  if (!o) return [];
  const out: DataSpec[] = [];
  for (const [name, v] of Object.entries(o)) {
    const p = join('data', name);
    if (!NAME_RE.test(name)) c.add(p, `data name "${name}" must start with a letter or _ and hold only letters, digits, _ . -`);
    if (Array.isArray(v)) {
      if (v.length === 0) c.add(p, 'has no rows');
      else out.push({ name, kind: 'inline', file: null, pick: 'sequential', whenExhausted: 'cycle', rows: v.length });
      continue;
    }
    const s = c.object(v, p);
    if (!s) continue;
    c.known(s, p, ['kind', 'path', 'rows', 'pick', 'whenExhausted']);
    const pick = (s['pick'] ?? 'sequential') as DataPick;
    if (!PICKS.includes(pick)) c.add(join(p, 'pick'), `unknown pick ${JSON.stringify(s['pick'])}`, `one of ${PICKS.join(', ')}`);
    const whenExhausted = (s['whenExhausted'] ?? 'cycle') as DataExhausted;
    if (!EXHAUSTED.includes(whenExhausted))
      c.add(join(p, 'whenExhausted'), `unknown value ${JSON.stringify(s['whenExhausted'])}`, `one of ${EXHAUSTED.join(', ')}`);
    if (s['kind'] === 'inline') {
      const list = s['rows'];
      if (!Array.isArray(list) || list.length === 0) c.add(join(p, 'rows'), 'must be a non-empty array');
      else out.push({ name, kind: 'inline', file: null, pick, whenExhausted, rows: list.length });
      continue;
    }
    if (s['kind'] !== 'csv' && s['kind'] !== 'json') {
      c.add(p, 'is not a data source', "use csv('users.csv'), json('ids.json'), rows([...]) or an array");
      continue;
    }
    const path = c.string(s['path'], join(p, 'path'));
    if (path === undefined) continue;
    const r = readDataFile(s['kind'], path, scenarioFile);
    if (!r.ok) {
      c.add(p, r.message, r.message.includes('cannot read') ? 'paths are relative to the scenario file' : 'fix that line of the file');
      continue;
    }
    if (r.rows.length === 0) c.add(p, `${r.file} has no rows`);
    else out.push({ name, kind: s['kind'], file: r.file, pick, whenExhausted, rows: r.rows.length });
  }
  return out;
}
