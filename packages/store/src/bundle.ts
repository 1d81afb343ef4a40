/**
 * A result bundle: what one machine of a scaled-out execution hands over (a pod of a Kubernetes
 * Indexed Job), either its store file or a folder written by `headroom runs export`. Both are
 * read as a store: an export folder is imported into an in-memory one with the import's own
 * reading and checks (E_BAD_EXPORT, E_STORE_NEWER), a store file is opened read-only.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '@headroom/core';
import { readSpools } from './spool/fold.ts';
import { Store } from './store.ts';
import { importRuns } from './writers/transfer.ts';

/** Options of {@link openBundle}. */
export interface OpenBundleOptions {
  /** A store already open in this process: a bundle that is its file is read through it, not opened twice. @default none */
  current?: Store;
  /** How long to wait for another process's brief hold on a store file. @default 0 */
  waitMs?: number;
}

/** An open bundle: its store, and how to let go of it. */
export interface Bundle {
  /** The path as given. */
  path: string;
  store: Store;
  close(): void;
}

/** Opens a bundle (a store file or a `runs export` folder) for reading. */
export async function openBundle(path: string, options: OpenBundleOptions = {}): Promise<Bundle> {
  const abs = resolve(path);
  if (options.current?.path === abs) return { path, store: options.current, close: () => {} };
  if (!existsSync(abs))
    throw new UsageError(
      `${path} does not exist; give each segment run's store file (its --db) or a folder written by headroom runs export`,
      'E_FILE_NOT_FOUND',
    );
  if (statSync(abs).isDirectory()) {
    const store = await Store.open(':memory:');
    try {
      await importRuns(store, abs);
    } catch (err) {
      store.close();
      throw err;
    }
    return { path, store, close: () => store.close() };
  }
  // A segment whose headroom was killed (a pod's kill -9 or eviction) left its run in its spool, which the next
  // writing open folds in (as abandoned, or as it ended): done here first, so merge sees that run. On a read-only
  // file system, or while another process holds the file, the bundle is read as it is.
  if (readSpools(abs, { appends: false }).some((s) => !s.alive)) {
    try {
      (await Store.open(abs, { waitMs: options.waitMs ?? 0 })).close();
    } catch {
      /* read what is folded in */
    }
  }
  const store = await Store.open(abs, { readOnly: true, waitMs: options.waitMs ?? 0 });
  return { path, store, close: () => store.close() };
}
