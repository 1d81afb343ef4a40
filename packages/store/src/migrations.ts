import { PHASE_CAPACITY_COLUMNS, SERIES_CAPACITY_COLUMNS, TABLES, createTableSql, quote, type TableSpec } from './schema.ts';

/** One schema step. Applied in order, once, inside a transaction; the version is recorded. */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

const V1_TABLES: Record<string, TableSpec> = TABLES;

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
    description: 'capacity: the capacity table; queue vs generator lateness, concurrency and /proc CPU per phase and second',
    statements: [
      ...addColumns('phases', PHASE_CAPACITY_COLUMNS),
      ...addColumns('series', SERIES_CAPACITY_COLUMNS),
      createTableSql('capacity', TABLES.capacity),
    ],
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
