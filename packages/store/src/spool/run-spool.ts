/**
 * A run's own file while it runs: every write the run makes is appended as a line to
 * `<store>.spool/<run-id>.jsonl` (see codec.ts), so the run never holds the store's lock,
 * readers never wait for it, and a crash loses at most the write in progress. When the run
 * ends, its spool is folded into the store (fold.ts); a spool whose process died is folded
 * by the next headroom that opens the store, and its run marked `abandoned`.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Row, TableName } from '../schema.ts';
import { encodeOp, type SpoolOp } from './codec.ts';
import { thisProcess } from './owner.ts';
import { writeError } from './write-error.ts';

/** Space set aside beside each spool, freed when the disk fills so the run's final status can still be written. */
const RESERVE_BYTES = 64 * 1024;

/**
 * Beside a spool, the rows that stand for work still in progress (see RunSpool.replaceProvisional):
 * one file per slot, each rewritten on its own cadence (the running phases' rows every second,
 * the running phase's profile rows at each profile push).
 */
export function provisionalPath(spool: string, slot: ProvisionalSlot = 'phases'): string {
  return slot === 'phases' ? `${spool}.provisional` : `${spool}.provisional-${slot}`;
}

/** The provisional files a spool can have. */
export const PROVISIONAL_SLOTS = ['phases', 'profiles'] as const;
export type ProvisionalSlot = (typeof PROVISIONAL_SLOTS)[number];

/** Where the spools of the store at `db` live. */
export function spoolDir(db: string): string {
  const file = resolve(db);
  return join(dirname(file), `.${basename(file)}.spool`);
}

/** Something rows can be written to: the store itself, or a run's spool. */
export interface RowWriter {
  append<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void>;
  upsert<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void>;
}

/** The run's spool file. Writes are synchronous appends: a write returned is a write kept. */
export class RunSpool implements RowWriter {
  readonly path: string;
  readonly runId: string;
  private run: Partial<Row<'runs'>>;
  /** The first write error (ENOSPC, EACCES…); later writes are dropped, the run goes on. */
  failure: NodeJS.ErrnoException | null = null;

  private constructor(path: string, run: Partial<Row<'runs'>>) {
    this.path = path;
    this.runId = run.id as string;
    this.run = run;
  }

  /** Creates the spool of a run that begins now, with its `runs` row (status running). */
  static create(db: string, run: Partial<Row<'runs'>>): RunSpool {
    const dir = spoolDir(db);
    mkdirSync(dir, { recursive: true });
    const spool = new RunSpool(join(dir, `${run.id as string}.jsonl`), run);
    try {
      writeFileSync(spool.reservePath, Buffer.alloc(RESERVE_BYTES));
    } catch (err) {
      rmSync(spool.reservePath, { force: true });
      throw writeError(err as NodeJS.ErrnoException, spool.path);
    }
    spool.write({ op: 'owner', owner: thisProcess() });
    spool.write({ op: 'upsert', table: 'runs', rows: [run] });
    if (spool.failure) throw writeError(spool.failure, spool.path);
    return spool;
  }

  private get reservePath(): string {
    return `${this.path}.reserve`;
  }

  /** Frees the reserved space (the end of the run, or a full disk). */
  release(): void {
    rmSync(this.reservePath, { force: true });
  }

  async append<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void> {
    if (rows.length > 0) this.write({ op: 'append', table, rows: rows as Partial<Row<TableName>>[] });
  }

  async upsert<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): Promise<void> {
    if (rows.length > 0) this.write({ op: 'upsert', table, rows: rows as Partial<Row<TableName>>[] });
  }

  /**
   * Replaces the rows that stand for work still in progress (each running phase's aggregate so
   * far): a small file beside the spool, rewritten whole and renamed into place, so it costs the
   * same every second however long the run, and a crash leaves the previous version or the new
   * one, never a torn line. Readers and the fold take these rows before the spool's, so a row the
   * spool also has (the phase ended) wins over them.
   */
  replaceProvisional<T extends TableName>(table: T, rows: readonly Partial<Row<T>>[]): void {
    this.replaceProvisionalSlot('phases', { [table]: rows });
  }

  /**
   * The same for the running phase's profiles: its `profiles` and `profile_functions` rows as of
   * the last push, in a file of their own (written every few seconds, not every second). The fold
   * keeps them only for a phase whose own rows never came (the run died in it).
   */
  replaceProvisionalProfiles(profiles: readonly Partial<Row<'profiles'>>[], functions: readonly Partial<Row<'profile_functions'>>[]): void {
    this.replaceProvisionalSlot('profiles', { profiles, profile_functions: functions });
  }

  private replaceProvisionalSlot(slot: ProvisionalSlot, tables: { [T in TableName]?: readonly Partial<Row<T>>[] }): void {
    if (this.failure) return;
    const path = provisionalPath(this.path, slot);
    let text = '';
    for (const [table, rows] of Object.entries(tables) as [TableName, Partial<Row<TableName>>[]][])
      if (rows.length > 0) text += encodeOp({ op: 'upsert', table, rows });
    try {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    } catch (err) {
      this.failure = err as NodeJS.ErrnoException;
    }
  }

  /** Changes columns of the run's `runs` row (status, pinning, end); synchronous, so a signal handler may call it. */
  updateRun(change: Partial<Row<'runs'>>): void {
    this.run = { ...this.run, ...change };
    this.write({ op: 'upsert', table: 'runs', rows: [this.run] });
  }

  /**
   * Writes the run's final row even after a write failed: on a full disk the reserved space
   * is freed for it, and a newline first ends the line the failed write left torn.
   */
  finish(change: Partial<Row<'runs'>>): void {
    this.run = { ...this.run, ...change };
    if (this.failure === null) {
      this.write({ op: 'upsert', table: 'runs', rows: [this.run] });
      this.release();
      return;
    }
    this.release();
    try {
      appendFileSync(this.path, `\n${encodeOp({ op: 'upsert', table: 'runs', rows: [this.run] })}`);
    } catch {
      /* the fold uses currentRun() */
    }
  }

  /** The run's `runs` row as the writer knows it (even when the last update could not be written). */
  currentRun(): Partial<Row<'runs'>> {
    return { ...this.run };
  }

  /** Forces what was written to disk (at the end of a run, before folding). */
  sync(): void {
    try {
      const fd = openSync(this.path, 'r');
      fsyncSync(fd);
      closeSync(fd);
    } catch {
      /* best effort */
    }
  }

  private write(op: SpoolOp): void {
    if (this.failure) return;
    try {
      appendFileSync(this.path, encodeOp(op));
    } catch (err) {
      this.failure = err as NodeJS.ErrnoException;
    }
  }
}
