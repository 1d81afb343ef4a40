import { TABLES, createTableSql, type TableSpec } from './schema.ts';

/** One schema step. Applied in order, once, inside a transaction; the version is recorded. */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

const V1_TABLES: Record<string, TableSpec> = TABLES;

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
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
