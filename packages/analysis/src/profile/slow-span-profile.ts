/**
 * The join of traces and profiles: the CPU samples taken while the slowest server spans were
 * active, as a profile of their own. It works because the agent labels wall/CPU samples with
 * `span_id`; SDKs that follow Pyroscope's span-profiles convention work the same way.
 */
import { profileOfSpans, type Profile } from '@headroom/capture/profile';
import type { SpanRow } from '@headroom/capture';

/** Which spans. */
export interface SlowSpanProfileOptions {
  /** How many of the slowest spans. @default 10 */
  limit?: number;
  /** The span kind that stands for a request as the service saw it. @default 'server' */
  kind?: string;
}

/** The sub-profile, or why there is none. */
export type SlowSpanProfileResult =
  | { status: 'ok'; profile: Profile; samples: number; spanIds: string[]; matchedSpans: string[] }
  | { status: 'no-spans'; kind: string }
  | { status: 'no-labels' }
  | { status: 'no-match'; spanIds: string[] };

/** Span ids of the `limit` slowest spans of `kind`. */
export function slowestSpanIds(spans: readonly SpanRow[], options: SlowSpanProfileOptions = {}): string[] {
  const kind = options.kind ?? 'server';
  return spans
    .filter((s) => s.kind === kind)
    .sort((a, b) => b.duration_ms - a.duration_ms)
    .slice(0, options.limit ?? 10)
    .map((s) => s.span_id);
}

/** The samples of `profile` taken inside the slowest spans. */
export function slowSpanProfile(profile: Profile, spans: readonly SpanRow[], options: SlowSpanProfileOptions = {}): SlowSpanProfileResult {
  const spanIds = slowestSpanIds(spans, options);
  if (spanIds.length === 0) return { status: 'no-spans', kind: options.kind ?? 'server' };
  const r = profileOfSpans(profile, spanIds);
  if (r.status === 'no-match') return { status: 'no-match', spanIds };
  if (r.status === 'no-labels') return r;
  return { status: 'ok', profile: r.profile, samples: r.samples, spanIds, matchedSpans: r.matchedSpans };
}
