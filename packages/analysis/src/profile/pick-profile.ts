/** Choosing the one stored profile a command works on, from a run's profile rows. */
import type { ProfileRow } from '@headroom/capture/profile';

/** Which profile. */
export interface PickProfileOptions {
  /** @default 'cpu' */
  type?: string;
  /** Required when the run has profiles of this type for several phases. */
  phase?: string;
}

/** The profile, or why there is not exactly one. */
export type PickedProfile =
  | { status: 'ok'; profile: ProfileRow }
  | { status: 'none'; type: string; phase: string | null; availableTypes: string[] }
  | { status: 'ambiguous'; type: string; phases: string[] };

/** The single profile of `type` (and `phase`) among `rows`. */
export function pickProfile(rows: readonly ProfileRow[], options: PickProfileOptions = {}): PickedProfile {
  const type = options.type ?? 'cpu';
  const hits = rows.filter((r) => r.type === type && (options.phase === undefined || r.phase === options.phase));
  const [only] = hits;
  if (only !== undefined && hits.length === 1) return { status: 'ok', profile: only };
  if (hits.length === 0) {
    return { status: 'none', type, phase: options.phase ?? null, availableTypes: [...new Set(rows.map((r) => r.type))].sort() };
  }
  return { status: 'ambiguous', type, phases: hits.map((r) => r.phase).sort() };
}
