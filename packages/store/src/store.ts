import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTimestampValue, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
import { HeadroomError, UsageError } from '@headroom/core';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
import { foldSpools } from './spool/fold.ts';
import { TABLES, quote, type ColumnType, type Row, type TableName } from './schema.ts';

/** Default store location, relative to the working directory. */
export const DEFAULT_DB = 'results/headroom.duckdb';

export interface OpenStoreOptions {
  /** Open without writing (no migrations, no folding); several readers may share a file. @default false */
  readOnly?: boolean;
  /**
   * How long to keep trying while another process holds the file's lock (a reader or a
   * run folding its spool hold it only briefly). @default 0 (fail at once with E_STORE_LOCKED)
   */
  waitMs?: number;
  /** Fold the spools of finished and dead runs into the store (writable opens only). @default true */
  fold?: boolean;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * A headroom store: one DuckDB file, schema migrated to the current version on open.
 * DuckDB allows one writing process per file; a second writer gets a clear error.
 */
export class Store {
  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  /** Physical column order per table, read once (see physicalColumns). */
  private readonly columnOrder = new Map<TableName, [string, ColumnType | null][]>();

  private constructor(path: string, instance: DuckDBInstance, conn: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
  }

  static async open(path: string = DEFAULT_DB, options: OpenStoreOptions = {}): Promise<Store> {
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:' && !options.readOnly) mkdirSync(dirname(file), { recursive: true });
    const deadline = Date.now() + (options.waitMs ?? 0);
    let instance: DuckDBInstance;
    for (;;) {
      try {
        instance = await DuckDBInstance.create(file, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
        break;
      } catch (err) {
        const e = storeError(file, err);
        if (e.code !== 'E_STORE_LOCKED' || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const store = new Store(file, instance, await instance.connect());
    try {
      if (!options.readOnly) {
        await store.migrate();
        if (options.fold !== false && file !== ':memory:') await foldSpools(store);
      } else await store.checkVersion();
    } catch (err) {
      store.close();
      throw err instanceof HeadroomError ? err : storeError(file, err);
    }
    return store;
  }

  /** Brings the file to SCHEMA_VERSION; a file from a newer headroom is refused rather than damaged. */
  private async migrate(): Promise<void> {
    await this.conn.run(
      'CREATE TABLE IF NOT EXISTS headroom_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)',
    );
    const current = await this.checkVersion();
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await this.conn.run('BEGIN TRANSACTION');
      try {
        for (const s of m.statements) await this.conn.run(s);
        await this.conn.run('INSERT INTO headroom_schema VALUES ($1, $2, now())', [m.version, m.description]);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK');
        throw new HeadroomError('E_STORE_MIGRATION', `could not migrate ${this.path} to schema ${m.version}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
  }

  private async checkVersion(): Promise<number> {
    const rows = await this.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM headroom_schema WHERE (SELECT count(*) FROM information_schema.tables WHERE table_name = 'headroom_schema') > 0",
    ).catch(() => [{ v: 0 }]);
    const v = Number(rows[0]?.v ?? 0);
    if (v > SCHEMA_VERSION) {
      throw new HeadroomError(
        'E_STORE_NEWER',
        `${this.path} has schema ${v}, newer than this headroom (${SCHEMA_VERSION}); upgrade headroom or use another --db`,
      );
    }
    return v;
  }

  /** Runs SQL and returns rows as plain JS objects (BIGINT as number, timestamps as Date). Only this package's readers and writers call it. */
  async query<T = Record<string, unknown>>(sql: string, params: DuckDBValue[] = []): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params).catch((err: unknown) => {
      throw corruptOr(this.path, err);
    });
    return reader.getRowObjectsJS().map((r) => normalise(r) as T);
  }

  /** The user's own SQL (`runs sql`), passed through as written; values JSON-safe. */
  async userQuery(sql: string): Promise<{ columns: string[]; rows: Record<string, JsonValue>[] }> {
    const reader = await this.conn.runAndReadAll(sql).catch((err: unknown) => {
      throw corruptOr(this.path, err);
    });
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Record<string, JsonValue>[] };
  }

  /** Runs a statement that returns no rows. */
  async exec(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.conn.run(sql, params).catch((err: unknown) => {
      throw corruptOr(this.path, err);
    });
  }

  /**
   * The table's columns in the file's physical order, with their types. DuckDB's appender is
   * positional, and a migrated file has its later columns at the end, in the order the
   * migrations added them, not in schema.ts's order. A column the schema does not know
   * (a newer headroom's) is appended as NULL.
   */
  private async physicalColumns(table: TableName): Promise<[string, ColumnType | null][]> {
    let cols = this.columnOrder.get(table);
    if (!cols) {
      const known = TABLES[table].columns as Record<string, ColumnType>;
      const rows = await this.query<{ name: string }>(
        'SELECT column_name AS name FROM duckdb_columns() WHERE table_name = $1 AND schema_name = current_schema() ORDER BY column_index',
        [table],
      );
      cols = rows.map((r) => [r.name, known[r.name] ?? null]);
      this.columnOrder.set(table, cols);
    }
    return cols;
  }

  /** Appends rows with DuckDB's appender, typed by the table's schema. Missing columns are NULL. */
  async append<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = await this.physicalColumns(table);
    const appender = await this.conn.createAppender(table);
    try {
      for (const row of rows) {
        for (const [name, type] of columns) {
          if (type === null) appender.appendNull();
          else appendValue(appender, type, (row as Record<string, unknown>)[name]);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Inserts or replaces rows by primary key (runs, phases, series). */
  async upsert<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.entries(TABLES[table].columns) as [string, ColumnType][];
    const sql = `INSERT OR REPLACE INTO ${table} (${columns.map(([c]) => quote(c)).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    const stmt = await this.conn.prepare(sql);
    for (const row of rows) {
      columns.forEach(([name, type], i) => bindValue(stmt, i + 1, type, (row as Record<string, unknown>)[name]));
      await stmt.run();
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

const LOCKED = /Could not set lock|Conflicting lock/i;
const CORRUPT = /Corrupt database file|checksum|database file .* is corrupt|INTERNAL Error.*(block|checkpoint)/i;

/** Maps a DuckDB error met while opening `file` to what the user can do about it. */
function storeError(file: string, err: unknown): HeadroomError {
  const msg = (err as Error).message ?? String(err);
  const first = msg.split('\n')[0];
  if (LOCKED.test(msg)) {
    return new HeadroomError(
      'E_STORE_LOCKED',
      `${file} is being written by another headroom process; wait for it to finish or pass --db <other file>\n  (${first})`,
      { cause: err },
    );
  }
  const corrupt = corruptOr(file, err);
  if (corrupt !== err) return corrupt as HeadroomError;
  if (/not a valid DuckDB|invalid|unable to open/i.test(msg))
    return new UsageError(`${file} is not a headroom DuckDB store: ${first}`, 'E_NOT_A_STORE');
  if (/No space left|ENOSPC/i.test(msg))
    return new HeadroomError('E_DISK_FULL', `the disk holding ${file} is full: ${first}; free space and run again`, { cause: err });
  return new HeadroomError('E_STORE_OPEN', `cannot open ${file}: ${first}`, { cause: err });
}

/** A corrupt-file error from DuckDB becomes E_STORE_CORRUPT with what to do; anything else is returned as it was. */
function corruptOr(file: string, err: unknown): unknown {
  const msg = (err as Error).message ?? String(err);
  if (!CORRUPT.test(msg)) return err;
  return new HeadroomError(
    'E_STORE_CORRUPT',
    `${file} is corrupt and cannot be read (${msg.split('\n')[0]}).\n  Restore it from a backup, or move it aside (mv ${file} ${file}.corrupt) and start a new store; or pass --db <other file>.`,
    { cause: err },
  );
}

function toMicros(v: Date | number): bigint {
  const ms = v instanceof Date ? v.getTime() : v;
  return BigInt(Math.round(ms * 1000));
}

function appendValue(a: DuckDBAppender, type: ColumnType, v: unknown): void {
  if (v === null || v === undefined) return a.appendNull();
  switch (type) {
    case 'VARCHAR':
    case 'JSON':
      return a.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v));
    case 'BOOLEAN':
      return a.appendBoolean(Boolean(v));
    case 'INTEGER':
      return a.appendInteger(Math.round(Number(v)));
    case 'BIGINT':
      return a.appendBigInt(BigInt(Math.round(Number(v))));
    case 'DOUBLE':
      return a.appendDouble(Number(v));
    case 'TIMESTAMP':
      return a.appendTimestamp(new DuckDBTimestampValue(toMicros(v as Date | number)));
    case 'BLOB':
      return a.appendBlob(v as Uint8Array);
  }
}

/** The binding methods of a prepared statement that the typed upsert uses. */
interface Bindable {
  bindNull(i: number): void;
  bindVarchar(i: number, v: string): void;
  bindBoolean(i: number, v: boolean): void;
  bindInteger(i: number, v: number): void;
  bindBigInt(i: number, v: bigint): void;
  bindDouble(i: number, v: number): void;
  bindTimestamp(i: number, v: DuckDBTimestampValue): void;
  bindBlob(i: number, v: Uint8Array): void;
}

function bindValue(s: Bindable, i: number, type: ColumnType, v: unknown): void {
  if (v === null || v === undefined) return s.bindNull(i);
  switch (type) {
    case 'VARCHAR':
    case 'JSON':
      return s.bindVarchar(i, typeof v === 'string' ? v : JSON.stringify(v));
    case 'BOOLEAN':
      return s.bindBoolean(i, Boolean(v));
    case 'INTEGER':
      return s.bindInteger(i, Math.round(Number(v)));
    case 'BIGINT':
      return s.bindBigInt(i, BigInt(Math.round(Number(v))));
    case 'DOUBLE':
      return s.bindDouble(i, Number(v));
    case 'TIMESTAMP':
      return s.bindTimestamp(i, new DuckDBTimestampValue(toMicros(v as Date | number)));
    case 'BLOB':
      return s.bindBlob(i, v as Uint8Array);
  }
}

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}
