/**
 * `headroom profile export`: a stored profile as pprof (the gzipped file, for `go tool pprof`)
 * or as a speedscope JSON file. speedscope format: github.com/jlfwong/speedscope,
 * src/lib/file-format-spec.ts — shared frames, one "sampled" profile per sample type, each
 * sample a stack of frame indices from root to leaf with a weight.
 */
import { gzipSync } from 'node:zlib';
import { decodePprof, isGzip, sampleTypeNames, type Profile } from '@headroom/capture/profile';

/** The formats `profile export` writes. */
export type ExportFormat = 'pprof' | 'speedscope';

/** The bytes to write and a file name for them. */
export interface ExportProfileResult {
  format: ExportFormat;
  /** Bytes to write: gzipped pprof, or UTF-8 JSON. */
  data: Uint8Array;
  /** A file name that fits the format. */
  fileName: string;
}

const SPEEDSCOPE_UNITS = new Set(['nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes']);

/** Converts a pprof profile to a speedscope file object. */
export function toSpeedscope(p: Profile, name: string): object {
  const st = p.stringTable.strings;
  const frames: { name: string; file?: string; line?: number }[] = [];
  const frameOf = new Map<string, number>();
  const fnById = new Map(p.function.map((f) => [Number(f.id), f]));
  const locFrames = new Map<number, number[]>();
  for (const loc of p.location) {
    // pprof lists a location's inlined lines innermost first; a stack root→leaf wants the reverse.
    const idx = loc.line
      .map((ln) => {
        const f = fnById.get(Number(ln.functionId));
        const fname = f ? (st[Number(f.name)] ?? '?') : '?';
        const file = f ? (st[Number(f.filename)] ?? '') : '';
        const line = f && Number(f.startLine) > 0 ? Number(f.startLine) : Number(ln.line);
        const key = `${fname}\0${file}\0${line}`;
        let i = frameOf.get(key);
        if (i === undefined) {
          i = frames.length;
          frames.push({ name: fname, ...(file ? { file } : {}), ...(line ? { line } : {}) });
          frameOf.set(key, i);
        }
        return i;
      })
      .reverse();
    locFrames.set(Number(loc.id), idx);
  }
  const stacks = p.sample.map((s) =>
    s.locationId
      .slice()
      .reverse()
      .flatMap((id) => locFrames.get(Number(id)) ?? []),
  );
  const profiles = sampleTypeNames(p).map((type, t) => {
    const unit = st[Number(p.sampleType[t]?.unit)] ?? '';
    const samples: number[][] = [];
    const weights: number[] = [];
    p.sample.forEach((s, i) => {
      const w = Number(s.value[t] ?? 0);
      if (w > 0) {
        samples.push(stacks[i]!);
        weights.push(w);
      }
    });
    return {
      type: 'sampled',
      name: `${name} ${type}`,
      unit: SPEEDSCOPE_UNITS.has(unit) ? unit : 'none',
      startValue: 0,
      endValue: weights.reduce((a, b) => a + b, 0),
      samples,
      weights,
    };
  });
  const names = sampleTypeNames(p);
  const active = Math.max(0, names.indexOf('cpu') >= 0 ? names.indexOf('cpu') : names.length - 1);
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name,
    activeProfileIndex: active,
    exporter: 'headroom',
  };
}

/**
 * A stored profile's bytes (gzipped or plain pprof) in the asked format. `fileName` is the
 * stored file's base name; the result's name swaps its extension for the format's.
 */
export function exportProfile(bytes: Uint8Array, fileName: string, format: ExportFormat): ExportProfileResult {
  const stem = fileName.replace(/\.pb(\.gz)?$/, '');
  if (format === 'pprof') {
    decodePprof(bytes); // refuse to hand out something that is not a profile
    return { format, data: isGzip(bytes) ? bytes : gzipSync(bytes), fileName: `${stem}.pb.gz` };
  }
  const doc = toSpeedscope(decodePprof(bytes), stem);
  return { format, data: Buffer.from(JSON.stringify(doc)), fileName: `${stem}.speedscope.json` };
}
