/**
 * Per-function self and total of a pprof profile, the numbers behind `profile top` and
 * Pyroscope's table view: self counts a sample for its leaf frame, total counts it once for
 * every distinct function on its stack (so recursion is not double-counted).
 */
import type { Profile } from 'pprof-format';
import { sampleTypeNames } from './merge.ts';
import type { FunctionRow } from './rows.ts';

/** headroom's name for a pprof sample type: 'cpu', 'wall', 'heap' (in-use bytes), else the type name. */
export function profileTypeName(sampleType: string): string {
  return sampleType === 'inuse_space' ? 'heap' : sampleType;
}

/** Indices of the sample types worth a row: all but the bare sample count when others exist. */
export function interestingTypes(p: Profile): number[] {
  const names = sampleTypeNames(p);
  const idx = names.map((_, i) => i).filter((i) => names[i] !== 'samples' && names[i] !== 'sample');
  return idx.length > 0 ? idx : names.map((_, i) => i);
}

/** Sum of one sample type over all samples. */
export function profileTotal(p: Profile, typeIndex: number): number {
  let t = 0;
  for (const s of p.sample) t += Number(s.value[typeIndex] ?? 0);
  return t;
}

/** The function table of one sample type of a profile. */
export function functionTable(p: Profile, typeIndex: number, phase: string): FunctionRow[] {
  const st = p.stringTable.strings;
  const type = profileTypeName(sampleTypeNames(p)[typeIndex] ?? '');
  const unit = st[Number(p.sampleType[typeIndex]?.unit)] ?? '';
  const fnById = new Map(p.function.map((f) => [Number(f.id), f]));
  const locById = new Map(p.location.map((l) => [Number(l.id), l]));
  const rows = new Map<string, FunctionRow>();
  const rowFor = (fnId: number, line: number): FunctionRow => {
    const f = fnById.get(fnId);
    const name = f ? (st[Number(f.name)] ?? '') : '(unknown)';
    const file = f ? (st[Number(f.filename)] ?? '') : '';
    const key = `${name}\0${file}`;
    let r = rows.get(key);
    if (!r) {
      r = { phase, type, function: name, file, line: f && Number(f.startLine) > 0 ? Number(f.startLine) : line, self: 0, total: 0, unit };
      rows.set(key, r);
    }
    return r;
  };
  for (const s of p.sample) {
    const v = Number(s.value[typeIndex] ?? 0);
    if (v === 0) continue;
    const seen = new Set<FunctionRow>();
    s.locationId.forEach((locId, depth) => {
      const loc = locById.get(Number(locId));
      loc?.line.forEach((ln, inl) => {
        const r = rowFor(Number(ln.functionId), Number(ln.line));
        if (depth === 0 && inl === 0) r.self += v;
        seen.add(r);
      });
    });
    for (const r of seen) r.total += v;
  }
  return [...rows.values()].sort((a, b) => b.self - a.self || b.total - a.total);
}
