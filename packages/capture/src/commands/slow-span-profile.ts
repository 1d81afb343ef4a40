/**
 * The join of traces and profiles: the CPU samples taken while given spans were active,
 * pulled out of a stored profile as a profile of their own. It works because the agent
 * labels wall/CPU samples with `span_id` (see span-labels.ts); other SDKs that follow
 * Pyroscope's span-profiles convention (label `span_id`) work the same way.
 */
import { Profile } from 'pprof-format';
import { readPprof, writePprof } from '../profile-io.ts';
import type { SpanRow } from '../types.ts';

export interface SlowSpanProfileOptions {
  /** A stored profile (gzipped pprof) of the phase the spans ran in. */
  profilePath: string;
  spanIds: readonly string[];
  /** Where to write the extracted profile; not written when omitted. */
  outPath?: string;
}

export type SlowSpanProfileResult =
  | { status: 'ok'; profile: Profile; samples: number; matchedSpans: string[]; path: string | null }
  | { status: 'no-labels'; message: string }
  | { status: 'no-match'; message: string };

/** Span ids of the slowest server spans (the requests as the SUT saw them). */
export function slowestSpanIds(spans: readonly SpanRow[], limit = 10, kind = 'server'): string[] {
  return spans.filter((s) => s.kind === kind).sort((a, b) => b.duration_ms - a.duration_ms).slice(0, limit).map((s) => s.span_id);
}

/** Keeps only the samples labelled with one of `spanIds`. */
export async function slowSpanProfile(options: SlowSpanProfileOptions): Promise<SlowSpanProfileResult> {
  const p = await readPprof(options.profilePath);
  const st = p.stringTable.strings;
  const keyIdx = st.indexOf('span_id');
  if (keyIdx < 0) {
    return { status: 'no-labels', message: `${options.profilePath} has no span_id labels (capture cpu with traces on, from the headroom agent or a span-profiles SDK)` };
  }
  const wanted = new Set(options.spanIds.map((s) => s.toLowerCase()));
  const matched = new Set<string>();
  const kept = p.sample.filter((s) => s.label.some((l) => {
    if (Number(l.key) !== keyIdx) return false;
    const id = (st[Number(l.str)] ?? '').toLowerCase();
    if (!wanted.has(id)) return false;
    matched.add(id);
    return true;
  }));
  if (kept.length === 0) return { status: 'no-match', message: `none of the ${wanted.size} spans has CPU samples in ${options.profilePath}` };
  const out = new Profile({ sampleType: p.sampleType, sample: kept, location: p.location, function: p.function, mapping: p.mapping,
    stringTable: p.stringTable, timeNanos: p.timeNanos, durationNanos: p.durationNanos, period: p.period,
    ...(p.periodType ? { periodType: p.periodType } : {}), defaultSampleType: p.defaultSampleType });
  if (options.outPath) await writePprof(options.outPath, out);
  return { status: 'ok', profile: out, samples: kept.length, matchedSpans: [...matched], path: options.outPath ?? null };
}
