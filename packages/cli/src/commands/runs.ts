import { UsageError } from '@headroom/core';
import { formatRunList, formatRunShow, formatSqlRows, scriptedPhases } from '@headroom/report';
import {
  listRuns,
  liveListing,
  readBenchAggregates,
  readGates,
  readLiveRuns,
  readPhases,
  readRun,
  readScripted,
  resolveRunRef,
  type LiveRun,
  type Store,
} from '@headroom/store';
import type { Output } from '../output.ts';

/** `headroom runs ls|show|sql`: the store, readable. */
export async function runsCommand(args: string[], store: Store, out: Output, limit: number): Promise<number> {
  const [sub = 'ls', ...rest] = args;
  switch (sub) {
    case 'ls': {
      const stored = await listRuns(store, limit);
      // Runs still going (or not folded in yet) live in their spools: listed too, without waiting for them.
      const live = readLiveRuns(store.path)
        .map(liveListing)
        .filter((l) => !stored.some((r) => r.id === l.id));
      const rows = [...live, ...stored]
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.id.localeCompare(a.id))
        .slice(0, limit);
      if (out.json) {
        out.resultJson(
          rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            scenario: r.scenario,
            status: r.status,
            gates: r.gates,
            started_at: r.startedAt.toISOString(),
            secs: r.seconds,
            git_sha: r.gitSha,
            git_dirty: r.gitDirty,
          })),
        );
      } else out.result(formatRunList(rows, store.path));
      return 0;
    }
    case 'show': {
      if (!rest[0]) throw new UsageError('headroom runs show <run-id|latest|latest~N>');
      const live = await liveRun(store, rest[0]);
      if (live) {
        const progress = { seconds: live.seconds, requests: live.requests, errors: live.errors };
        if (out.json) out.resultJson({ run: { ...live.run, config: undefined }, phases: live.phases, gates: [], bench: [], progress });
        else out.result(formatRunShow({ run: live.run, phases: live.phases, gates: [], bench: [], ...(live.alive ? { progress } : {}) }));
        return 0;
      }
      const id = await resolveRunRef(store, rest[0]);
      const run = await readRun(store, id);
      if (!run) throw new UsageError(`run ${id} disappeared from ${store.path}`, 'E_RUN_NOT_FOUND');
      const [phases, gates, bench, rows] = await Promise.all([
        readPhases(store, id),
        readGates(store, id),
        readBenchAggregates(store, id),
        readScripted(store, id),
      ]);
      const scripted = scriptedPhases(phases, rows);
      if (out.json) {
        // Per-name, check and flow results join their phase, in the shapes of `headroom run --json`.
        const withScripted = phases.map((p) => {
          const { requestsByName, checks, flows } = scripted.find((s) => s.phase === p.phase) ?? {};
          return { ...p, ...(requestsByName && { requestsByName }), ...(checks && { checks }), ...(flows && { flows }) };
        });
        out.resultJson({ run: { ...run, config: undefined }, phases: withScripted, gates, bench });
      } else out.result(formatRunShow({ run, phases, gates, bench, scripted }));
      return 0;
    }
    case 'sql': {
      if (!rest[0]) throw new UsageError('headroom runs sql "<query>", e.g. headroom runs sql "select id, status from runs"');
      let res: Awaited<ReturnType<Store['userQuery']>>;
      try {
        res = await store.userQuery(rest.join(' '));
      } catch (err) {
        throw new UsageError(
          `SQL error: ${(err as Error).message.split('\n')[0]}\n  tables: runs, phases, series, gates, bench_reps, bench_samples, phase_requests, phase_checks, phase_flows, profiles, profile_functions, spans, trace_samples`,
          'E_SQL',
        );
      }
      if (out.json) out.resultJson(res.rows);
      else out.result(formatSqlRows(res.columns, res.rows));
      return 0;
    }
    default:
      throw new UsageError(`unknown runs subcommand "${sub}"; use ls, show or sql`);
  }
}

/** The run `ref` names when it is in a spool (running, or not folded in yet), else null. */
async function liveRun(store: Store, ref: string): Promise<LiveRun | null> {
  const live = readLiveRuns(store.path);
  if (live.length === 0) return null;
  const m = /^latest(?:~(\d+))?$/.exec(ref);
  if (m) {
    if (Number(m[1] ?? 0) !== 0) return null;
    const newest = live[0] as LiveRun;
    const [stored] = await listRuns(store, 1);
    return !stored || newest.run.startedAt >= stored.startedAt ? newest : null;
  }
  const matches = live.filter((l) => l.run.id.startsWith(ref));
  return matches.length === 1 ? (matches[0] as LiveRun) : null;
}
