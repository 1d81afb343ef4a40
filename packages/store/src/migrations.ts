import { RUN_BRANCH_COLUMNS, TABLES, createTableSql, quote, type TableSpec } from './schema.ts';

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
  // Version 2 is the capacity table's (built on another branch at the same time); versions
  // only need to increase, and a file at version 1 gets every later step in order.
  {
    version: 3,
    description: 'runs.git_branch: the branch of every run, for histories and forecasts',
    statements: addColumns('runs', RUN_BRANCH_COLUMNS),
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
