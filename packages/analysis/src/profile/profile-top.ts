/** `headroom profile top`: the functions with the most self time (or bytes) in a run's profile. */
import type { FunctionRow } from '@headroom/capture/profile';
import { aggregateFunctions, type FunctionShare, type IdleShare } from './aggregate-functions.ts';

/** Which profile and how many rows. */
export interface ProfileTopOptions {
  /** Only this phase; all phases summed when omitted. */
  phase?: string;
  /** @default 'cpu' */
  type?: string;
  /** @default 20 */
  limit?: number;
  /** @default 'self' */
  sortBy?: 'self' | 'total';
}

/** The top functions, idle apart. */
export interface ProfileTopResult {
  type: string;
  phase: string | null;
  unit: string;
  /** Sum of self over every ranked (non-idle) function: what the shares are of. */
  profileTotal: number;
  /** `(idle)` of this profile type, not ranked. */
  idle: IdleShare;
  /** `(idle)`'s share of the wall profile of the same phase(s), when the run has one. */
  wallIdle: IdleShare | null;
  rows: FunctionShare[];
}

/** The defaults of {@link ProfileTopOptions}, resolved in one place. */
export const PROFILE_TOP_DEFAULTS = { type: 'cpu', limit: 20, sortBy: 'self' } as const;

/** The top functions of one profile type, ranked over the busy (non-idle) samples. */
export function profileTop(rows: readonly FunctionRow[], options: ProfileTopOptions = {}): ProfileTopResult {
  const type = options.type ?? PROFILE_TOP_DEFAULTS.type;
  const sortBy = options.sortBy ?? PROFILE_TOP_DEFAULTS.sortBy;
  const phase = options.phase === undefined ? {} : { phase: options.phase };
  const agg = aggregateFunctions(rows, { type, ...phase });
  const wall = type === 'wall' ? agg : aggregateFunctions(rows, { type: 'wall', ...phase });
  const top = [...agg.functions.values()]
    .sort((a, b) => b[sortBy] - a[sortBy] || a.function.localeCompare(b.function))
    .slice(0, options.limit ?? PROFILE_TOP_DEFAULTS.limit);
  const hasWall = wall.busyTotal + wall.idle.self > 0;
  return {
    type,
    phase: options.phase ?? null,
    unit: agg.unit,
    profileTotal: agg.busyTotal,
    idle: agg.idle,
    // Wall idle is time the main thread ran no JavaScript: context for a time profile, not for a heap one.
    wallIdle: hasWall && (type === 'cpu' || type === 'wall') ? wall.idle : null,
    rows: top,
  };
}
