/**
 * Folds runs' spools into the store: at the end of a run, and when a store is opened for
 * writing (a run whose process died is folded then, marked `abandoned`, with everything it
 * had written). Folding is one transaction that first deletes whatever an interrupted
 * earlier fold of the same run left, so folding twice never doubles rows.
 */
import { readFileSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, TableName } from '../schema.ts';
import { TABLES } from '../schema.ts';
import type { Store } from '../store.ts';
import { decodeLine, decodeOps, spoolLines, type LineFilter, type SpoolOp, type SpoolOwner } from './codec.ts';
import { ownerAlive } from './owner.ts';
import { PROVISIONAL_SLOTS, provisionalPath, spoolDir } from './run-spool.ts';

/** A spool read back: its run row as last written, the ops, and whether its process still runs. */
export interface ReadSpool {
  path: string;
  runId: string;
  owner: SpoolOwner | null;
  run: Partial<Row<'runs'>> | null;
  ops: SpoolOp[];
  alive: boolean;
  /** When it was last written (epoch ms). */
  modifiedAt: number;
}

/** What readSpools reads. */
export interface ReadSpoolsOptions {
  /** Only the ops that write these tables (and the owner and `runs` lines); the rest are skipped unparsed. @default every table */
  tables?: readonly TableName[];
  /** Whether appended rows are read (the fold streams them from the file instead). @default true */
  appends?: boolean;
}

/** Reads every spool of the store at `db`. */
export function readSpools(db: string, options: ReadSpoolsOptions = {}): ReadSpool[] {
  const tables = options.tables ? new Set<TableName>(['runs', ...options.tables]) : undefined;
  const appends = options.appends ?? true;
  const keep: LineFilter | undefined =
    tables || !appends ? (op, table) => (appends || op !== 'append') && (!tables || tables.has(table)) : undefined;
  const dir = spoolDir(db);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: ReadSpool[] = [];
  for (const name of names) {
    const path = join(dir, name);
    // Rows of work still in progress first, so the spool's own rows of the same keys replace them.
    const ops: SpoolOp[] = [];
    let modifiedAt: number;
    try {
      modifiedAt = statSync(path).mtimeMs;
      for (const slot of PROVISIONAL_SLOTS) {
        const provisional = readProvisional(provisionalPath(path, slot), keep);
        if (provisional) {
          modifiedAt = Math.max(modifiedAt, provisional.modifiedAt);
          ops.push(...provisional.ops);
        }
      }
      for (const line of spoolLines(path)) {
        const op = decodeLine(line, keep);
        if (op) ops.push(op);
      }
    } catch {
      continue;
    }
    let owner: SpoolOwner | null = null;
    let run: Partial<Row<'runs'>> | null = null;
    for (const op of ops) {
      if (op.op === 'owner') owner = op.owner;
      else if (op.table === 'runs') run = op.rows.at(-1) as Partial<Row<'runs'>>;
    }
    const finished = run !== null && run.status !== 'running';
    out.push({
      path,
      runId: name.slice(0, -'.jsonl'.length),
      owner,
      run,
      ops,
      alive: !finished && owner !== null && ownerAlive(owner),
      modifiedAt,
    });
  }
  return out;
}

function readProvisional(path: string, keep: LineFilter | undefined): { ops: SpoolOp[]; modifiedAt: number } | null {
  try {
    return { ops: decodeOps(readFileSync(path, 'utf8'), keep), modifiedAt: statSync(path).mtimeMs };
  } catch {
    return null; // none: a run without load, or from before provisional rows
  }
}

/** Removes a folded spool; its provisional rows after it, so a fold cut short in between is redone with them. */
function removeSpool(path: string): void {
  unlinkSync(path);
  for (const slot of PROVISIONAL_SLOTS) {
    rmSync(provisionalPath(path, slot), { force: true });
    rmSync(`${provisionalPath(path, slot)}.tmp`, { force: true }); // left by a rewrite that failed (a full disk)
  }
  rmSync(`${path}.reserve`, { force: true }); // a run that was killed never freed its reserve
}

/** What folding did for one run. */
export interface FoldResult {
  runId: string;
  status: string;
}

/**
 * Folds every spool whose run finished or whose process is gone into `store`, then removes
 * the spool. `finalRun` replaces the run row of that run (the writer's view when the spool's
 * own last line could not be written, e.g. on a full disk).
 */
export async function foldSpools(store: Store, finalRun?: Partial<Row<'runs'>>): Promise<FoldResult[]> {
  const done: FoldResult[] = [];
  // Appended rows (spans, trace samples…) are streamed from the file inside the fold, not held.
  for (const s of readSpools(store.path, { appends: false })) {
    if (finalRun?.id === s.runId) s.run = finalRun;
    else if (s.alive) continue;
    if (s.run === null) {
      removeSpool(s.path);
      continue;
    } // died before its first row: nothing to keep
    const run = { ...s.run };
    if (run.status === 'running') {
      run.status = 'abandoned';
      run.ended_at = s.modifiedAt;
      run.error = `the headroom process (pid ${s.owner?.pid ?? '?'}) ended without finishing the run (killed or crashed); what it wrote until then is kept`;
    }
    await foldOne(store, s.runId, s.path, s.ops, run);
    removeSpool(s.path);
    done.push({ runId: s.runId, status: run.status as string });
  }
  return done;
}

async function foldOne(store: Store, runId: string, path: string, upserts: SpoolOp[], run: Partial<Row<'runs'>>): Promise<void> {
  // Upserted tables keep the last row per key; appended rows go in as the file has them, one line at a time.
  const latest = new Map<TableName, Map<string, Partial<Row<TableName>>>>();
  const provisionalProfiles: [TableName, Partial<Row<TableName>>[]][] = [];
  for (const op of upserts) {
    if (op.op !== 'upsert' || op.table === 'runs') continue;
    if (op.table === 'profiles' || op.table === 'profile_functions') {
      provisionalProfiles.push([op.table, op.rows]);
      continue;
    }
    const keys: readonly string[] = (TABLES[op.table] as { primaryKey?: readonly string[] }).primaryKey ?? [];
    const m = latest.get(op.table) ?? new Map<string, Partial<Row<TableName>>>();
    for (const row of op.rows) m.set(keys.map((k) => String((row as Record<string, unknown>)[k])).join('\u0000'), row);
    latest.set(op.table, m);
  }
  // The running phase's profile rows (provisional, keyless) count only for a phase whose own rows
  // the spool does not have: one that ended had them appended, and those win. Only a spool that
  // has such rows is read for this a second time.
  if (provisionalProfiles.some(([, rows]) => rows.length > 0)) {
    const profiled = new Set<string>();
    const profileAppends: LineFilter = (op, table) => op === 'append' && (table === 'profiles' || table === 'profile_functions');
    for (const line of spoolLines(path)) {
      const op = decodeLine(line, profileAppends);
      if (op?.op === 'append') for (const row of op.rows) profiled.add(String((row as { phase?: unknown }).phase));
    }
    for (const entry of provisionalProfiles) entry[1] = entry[1].filter((r) => !profiled.has(String((r as { phase?: unknown }).phase)));
  }
  const onlyAppends: LineFilter = (op) => op === 'append';
  await store.exec('BEGIN TRANSACTION');
  try {
    for (const table of Object.keys(TABLES) as TableName[]) {
      await store.exec(`DELETE FROM ${table} WHERE ${table === 'runs' ? 'id' : 'run_id'} = $1`, [runId]);
    }
    await store.append('runs', [run]);
    for (const [table, rows] of latest) await store.append(table, [...rows.values()]);
    for (const [table, rows] of provisionalProfiles) if (rows.length > 0) await store.append(table, rows);
    for (const line of spoolLines(path)) {
      const op = decodeLine(line, onlyAppends);
      if (op?.op === 'append' && op.table !== 'runs') await store.append(op.table, op.rows);
    }
    await store.exec('COMMIT');
  } catch (err) {
    await store.exec('ROLLBACK').catch(() => {});
    throw err;
  }
}
