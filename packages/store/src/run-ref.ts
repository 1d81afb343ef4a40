import { randomBytes } from 'node:crypto';
import { UsageError } from '@headroom/core';
import type { Store } from './store.ts';

/** A new run id: sortable by time, readable, unique: `20261121-183012-a3f9`. */
export function newRunId(now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export interface ResolveRunOptions {
  /** Only runs of this kind ('load' | 'bench'). */
  kind?: string;
  /** Only runs of this scenario or bench name. */
  scenario?: string;
}

const LATEST_RE = /^latest(?:~(\d+))?(?::(.+))?$/;

/**
 * Resolves `latest`, `latest~N` (N runs before the latest), either scoped to one scenario or
 * bench (`latest:quickstart`, `latest~2:quickstart`), a full id or a unique id prefix to a
 * run id. Unknown refs are usage errors that say how to list runs.
 */
export async function resolveRunRef(store: Store, ref: string, options: ResolveRunOptions = {}): Promise<string> {
  const scoped = LATEST_RE.exec(ref)?.[2];
  if (scoped !== undefined) options = { ...options, scenario: scoped };
  const where: string[] = [];
  const params: string[] = [];
  if (options.kind) {
    params.push(options.kind);
    where.push(`kind = $${params.length}`);
  }
  if (options.scenario) {
    params.push(options.scenario);
    where.push(`scenario = $${params.length}`);
  }
  const m = LATEST_RE.exec(ref);
  if (m) {
    const offset = Number(m[1] ?? 0);
    const rows = await store.query<{ id: string }>(
      `SELECT id FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ${offset}`,
      params,
    );
    if (!rows[0])
      throw new UsageError(
        `no run matches "${ref}"${describe(options)} in ${store.path}; list runs with: headroom runs ls`,
        'E_RUN_NOT_FOUND',
      );
    return rows[0].id;
  }
  params.push(`${ref}%`);
  where.push(`id LIKE $${params.length}`);
  const rows = await store.query<{ id: string }>(`SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id LIMIT 3`, params);
  if (rows.length === 0)
    throw new UsageError(`no run "${ref}"${describe(options)} in ${store.path}; list runs with: headroom runs ls`, 'E_RUN_NOT_FOUND');
  if (rows.length > 1 && rows[0]?.id !== ref)
    throw new UsageError(`"${ref}" matches several runs (${rows.map((r) => r.id).join(', ')}…); give more of the id`, 'E_RUN_AMBIGUOUS');
  return (rows[0] as { id: string }).id;
}

function describe(o: ResolveRunOptions): string {
  const parts = [o.kind && `kind ${o.kind}`, o.scenario && `scenario ${o.scenario}`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
