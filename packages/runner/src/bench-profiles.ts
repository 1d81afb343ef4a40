/**
 * `headroom bench --profile` writes a V8 .cpuprofile per worker (Chrome DevTools, speedscope
 * read those). To make them readable by `headroom profile top|diff|export` too, each one is
 * converted to pprof beside it and its function table goes on the bus like a captured
 * profile's, with the phase named `<task>#<repetition>` and type `wall` (V8 samples by wall clock).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  functionTable,
  interestingTypes,
  parseCpuProfile,
  profileTotal,
  profileTypeName,
  sampleTypeNames,
  writePprof,
} from '@headroom/capture/profile';
import type { FunctionRow, ProfileRow } from '@headroom/capture';

/** Profiles and function tables of every .cpuprofile in `dir`; pprof files are written beside them. */
export async function benchProfiles(dir: string): Promise<{ profiles: ProfileRow[]; functions: FunctionRow[] }> {
  const profiles: ProfileRow[] = [];
  const functions: FunctionRow[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort();
  } catch {
    return { profiles, functions };
  }
  for (const f of files) {
    // <task>.rep<N>.cpuprofile, as the bench executor names them.
    const m = /^(.*)\.rep(\d+)\.cpuprofile$/.exec(f);
    const phase = m ? `${m[1]}#${m[2]}` : f.replace(/\.cpuprofile$/, '');
    const p = parseCpuProfile(readFileSync(join(dir, f), 'utf8'));
    const path = join(dir, f.replace(/\.cpuprofile$/, '.pb.gz'));
    await writePprof(path, p);
    const names = sampleTypeNames(p);
    for (const i of interestingTypes(p)) {
      const unit = p.stringTable.strings[Number(p.sampleType[i]?.unit)] ?? '';
      profiles.push({ phase, type: profileTypeName(names[i] ?? ''), path, sample_type: names[i] ?? '', unit, total: profileTotal(p, i) });
      functions.push(...functionTable(p, i, phase));
    }
  }
  return { profiles, functions };
}
