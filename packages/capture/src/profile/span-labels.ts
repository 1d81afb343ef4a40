/**
 * Span labels in a profile: the agent (and SDKs that follow Pyroscope's span-profiles
 * convention) label each wall/CPU sample taken while a sampled span was active with
 * `span_id` = the span's 16-hex id. This is how traces join profiles.
 */
import { Profile } from 'pprof-format';

/** The pprof label key that carries the active span's id. */
export const SPAN_ID_LABEL = 'span_id';

/** What {@link profileOfSpans} found. */
export type SpanSubProfile =
  { status: 'ok'; profile: Profile; samples: number; matchedSpans: string[] } | { status: 'no-labels' } | { status: 'no-match' };

/**
 * The samples of `p` labelled with one of `spanIds` (compared case-insensitively), as a
 * profile of their own that shares `p`'s functions, locations and string table.
 */
export function profileOfSpans(p: Profile, spanIds: readonly string[]): SpanSubProfile {
  const st = p.stringTable.strings;
  const keyIdx = st.indexOf(SPAN_ID_LABEL);
  if (keyIdx < 0) return { status: 'no-labels' };
  const wanted = new Set(spanIds.map((s) => s.toLowerCase()));
  const matched = new Set<string>();
  const kept = p.sample.filter((s) =>
    s.label.some((l) => {
      if (Number(l.key) !== keyIdx) return false;
      const id = (st[Number(l.str)] ?? '').toLowerCase();
      if (!wanted.has(id)) return false;
      matched.add(id);
      return true;
    }),
  );
  if (kept.length === 0) return { status: 'no-match' };
  const profile = new Profile({
    sampleType: p.sampleType,
    sample: kept,
    location: p.location,
    function: p.function,
    mapping: p.mapping,
    stringTable: p.stringTable,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    period: p.period,
    ...(p.periodType ? { periodType: p.periodType } : {}),
    defaultSampleType: p.defaultSampleType,
  });
  return { status: 'ok', profile, samples: kept.length, matchedSpans: [...matched] };
}
