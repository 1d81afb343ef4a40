import {
  PHASE_CAPACITY_COLUMNS,
  PHASE_PARTIAL_COLUMNS,
  RUN_BRANCH_COLUMNS,
  SERIES_CAPACITY_COLUMNS,
  STEAL_COLUMNS,
  SCRIPTED_TABLES,
  TABLES,
  createTableSql,
  quote,
  type TableSpec,
} from './schema.ts';

/** One schema step. Applied in order, once, inside a transaction; the version is recorded. */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

/** Columns added after version 1; a version-1 file gets them from migration 2. */
const ADDED_IN_V2: Record<string, Record<string, string>> = {
  phases: { failed_p50_ms: 'DOUBLE', failed_p99_ms: 'DOUBLE', failed_max_ms: 'DOUBLE', failed_hist: 'BLOB' },
};

const V1_TABLES: Record<string, TableSpec> = Object.fromEntries(
  Object.entries(TABLES as Record<string, TableSpec>).map(([name, spec]) => [
    name,
    {
      ...spec,
      columns: Object.fromEntries(Object.entries(spec.columns).filter(([c]) => !(c in (ADDED_IN_V2[name] ?? {})))),
    },
  ]),
);

const addColumns = (table: string, cols: Record<string, string>) =>
  Object.entries(cols).map(([c, t]) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quote(c)} ${t}`);

/** Every schema version so far. Never edit a shipped one; append a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, phases, series, gates, bench, profiles, spans, trace samples',
    statements: [
      ...Object.entries(V1_TABLES).map(([name, spec]) => createTableSql(name, spec)),
      'CREATE INDEX IF NOT EXISTS runs_scenario ON runs (scenario, started_at)',
    ],
  },
  {
    version: 2,
    description: 'phases: time to failure of requests that got no response (failed_*)',
    statements: Object.entries(ADDED_IN_V2).flatMap(([table, cols]) => addColumns(table, cols)),
  },
  {
    version: 3,
    description: 'runs.git_branch: the branch of every run, for histories and forecasts',
    statements: addColumns('runs', RUN_BRANCH_COLUMNS),
  },
  {
    version: 4,
    description: "series.gen_wake_delay_us: the generator's own wake-up delay per second (its latency floor)",
    statements: addColumns('series', { gen_wake_delay_us: 'DOUBLE' }),
  },
  {
    version: 5,
    description: 'capacity: the capacity table; queue vs generator lateness, concurrency and /proc CPU per phase and second',
    statements: [
      ...addColumns('phases', PHASE_CAPACITY_COLUMNS),
      ...addColumns('series', SERIES_CAPACITY_COLUMNS),
      createTableSql('capacity', TABLES.capacity),
    ],
  },
  {
    version: 6,
    description: 'scripted load: phase_requests (per request name), phase_checks, phase_flows',
    statements: Object.entries(SCRIPTED_TABLES).map(([name, spec]) => createTableSql(name, spec)),
  },
  {
    version: 7,
    description: 'phases.partial: the running aggregate of a phase the run never finished (killed mid-phase), kept and marked',
    statements: addColumns('phases', PHASE_PARTIAL_COLUMNS),
  },
  {
    version: 8,
    description: "steal_service, steal_generator: the hypervisor's share of the service's and generator's CPUs, per phase and second",
    statements: [...addColumns('phases', STEAL_COLUMNS), ...addColumns('series', STEAL_COLUMNS)],
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
