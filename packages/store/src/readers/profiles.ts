/** Typed readers of a run's profiles and function tables (tables `profiles`, `profile_functions`). */
import type { FunctionRow, ProfileRow } from '@headroom/capture/profile';
import type { Store } from '../store.ts';

/** Which rows; every filter is optional. */
export interface ProfileFilter {
  /** Only this phase. */
  phase?: string;
  /** Only this profile type ('cpu', 'wall', 'heap', …). */
  type?: string;
}

// One statement per reader: unset filters are bound as NULL, so no SQL text is ever assembled.
const PROFILES_SQL = `SELECT phase, type, path, sample_type, unit, total FROM profiles
  WHERE run_id = $1 AND ($2::VARCHAR IS NULL OR phase = $2) AND ($3::VARCHAR IS NULL OR type = $3)
  ORDER BY phase, type`;

const FUNCTIONS_SQL = `SELECT phase, type, function, file, line, self, total, unit FROM profile_functions
  WHERE run_id = $1 AND ($2::VARCHAR IS NULL OR phase = $2) AND ($3::VARCHAR IS NULL OR type = $3)`;

/** The merged profiles stored for a run (one row per phase and type), by phase then type. */
export async function readProfiles(store: Store, runId: string, filter: ProfileFilter = {}): Promise<ProfileRow[]> {
  return store.query<ProfileRow>(PROFILES_SQL, [runId, filter.phase ?? null, filter.type ?? null]);
}

/** The per-function self and total rows of a run's profiles. */
export async function readFunctionRows(store: Store, runId: string, filter: ProfileFilter = {}): Promise<FunctionRow[]> {
  return store.query<FunctionRow>(FUNCTIONS_SQL, [runId, filter.phase ?? null, filter.type ?? null]);
}
