import { UsageError, formatMs } from '@headroom/core';
import { formatTable } from '@headroom/report';
import { resolveRunRef, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

/** `headroom runs ls|show|sql`: the store, readable. */
export async function runsCommand(args: string[], store: Store, out: Output, limit: number): Promise<number> {
  const [sub = 'ls', ...rest] = args;
  switch (sub) {
    case 'ls': return list(store, out, limit);
    case 'show': {
      if (!rest[0]) throw new UsageError('headroom runs show <run-id|latest|latest~N>');
      return show(store, out, await resolveRunRef(store, rest[0]));
    }
    case 'sql': {
      if (!rest[0]) throw new UsageError('headroom runs sql "<query>", e.g. headroom runs sql "select id, status from runs"');
      return sql(store, out, rest.join(' '));
    }
    default: throw new UsageError(`unknown runs subcommand "${sub}"; use ls, show or sql`);
  }
}

async function list(store: Store, out: Output, limit: number): Promise<number> {
  const rows = await store.query<{ id: string; kind: string; scenario: string; status: string; gates: string | null; started_at: Date; secs: number | null; git_sha: string | null; git_dirty: boolean | null }>(
    `SELECT id, kind, scenario, status, gates, started_at, epoch(ended_at) - epoch(started_at) AS secs, git_sha, git_dirty FROM runs ORDER BY started_at DESC, id DESC LIMIT ${Math.max(1, limit)}`,
  );
  if (out.json) { out.resultJson(rows.map((r) => ({ ...r, started_at: r.started_at.toISOString() }))); return 0; }
  if (rows.length === 0) { out.result(`no runs in ${store.path} yet; start one with: headroom run scenarios/quickstart.ts`); return 0; }
  out.result(formatTable(['id', 'kind', 'scenario', 'status', 'gates', 'started', 'took', 'git'], rows.map((r) => [
    r.id, r.kind, r.scenario, r.status, r.gates ?? '-', r.started_at.toISOString().replace('T', ' ').slice(0, 19),
    r.secs === null ? '-' : `${Math.round(r.secs)}s`, r.git_sha ? `${r.git_sha.slice(0, 8)}${r.git_dirty ? '+dirty' : ''}` : '-',
  ]), { rightAlign: [false, false, false, false, false, false, true, false] }));
  return 0;
}

async function show(store: Store, out: Output, id: string): Promise<number> {
  const [run] = await store.query<Record<string, unknown>>('SELECT * EXCLUDE (config) FROM runs WHERE id = $1', [id]);
  const phases = await store.query<Record<string, unknown>>(
    'SELECT * EXCLUDE (hist, service_hist, run_id) FROM phases WHERE run_id = $1 ORDER BY ordinal', [id]);
  const gates = await store.query<Record<string, unknown>>('SELECT * EXCLUDE (run_id) FROM gates WHERE run_id = $1', [id]);
  const bench = await store.query<Record<string, unknown>>(
    'SELECT task, count(*) AS repetitions, median(median_ns) AS median_ns, min(median_ns) AS min_ns, max(median_ns) AS max_ns FROM bench_reps WHERE run_id = $1 GROUP BY task ORDER BY task', [id]);
  if (out.json) { out.resultJson({ run, phases, gates, bench }); return 0; }
  const r = run as Record<string, unknown>;
  const lines = [
    `run ${id}  ${r['kind']}  ${r['scenario']}  ${r['status']}${r['gates'] ? `  gates ${r['gates']}` : ''}`,
    `started ${(r['started_at'] as Date).toISOString()}  git ${r['git_sha'] ?? '-'}${r['git_dirty'] ? ' (dirty)' : ''}  headroom ${r['version']}  node ${r['node_version']}`,
    `host ${r['host']}  ${r['cpu_model']} ×${r['cpu_count']}  service CPUs ${r['service_cpus']}  worker CPUs ${r['worker_cpus']}`,
  ];
  if (r['error']) lines.push(`error: ${r['error']}`);
  if (phases.length > 0) {
    lines.push('', formatTable(['phase', 'offered', 'achieved', 'requests', 'errors', 'p50', 'p99', 'p99.9', 'svc p99', 'late'], phases.map((p) => [
      String(p['phase']), p['offered_rate'] === null ? 'closed' : `${Math.round(p['offered_rate'] as number)}/s`, `${Math.round(p['achieved_rate'] as number)}/s`,
      String(p['requests']), String(p['errors']), formatMs(p['p50_ms'] as number), formatMs(p['p99_ms'] as number),
      formatMs(p['p999_ms'] as number), formatMs(p['svc_p99_ms'] as number), String(p['late_sends']),
    ])));
  }
  if (bench.length > 0) lines.push('', formatTable(['task', 'reps', 'median ns', 'min', 'max'], bench.map((b) => [String(b['task']), String(b['repetitions']), fmt(b['median_ns']), fmt(b['min_ns']), fmt(b['max_ns'])])));
  for (const g of gates) lines.push(`${g['passed'] ? '✓' : '✗'} ${g['key']} ${g['expression']} (value ${g['value'] ?? 'no data'})`);
  const warnings = JSON.parse(String(r['warnings'] ?? '[]')) as string[];
  for (const w of warnings) lines.push(`warning: ${w}`);
  out.result(lines.join('\n'));
  return 0;
}

async function sql(store: Store, out: Output, query: string): Promise<number> {
  let res: Awaited<ReturnType<Store['queryJson']>>;
  try { res = await store.queryJson(query); } catch (err) {
    throw new UsageError(`SQL error: ${(err as Error).message.split('\n')[0]}\n  tables: runs, phases, series, gates, bench_reps, bench_samples, profiles, profile_functions, spans, trace_samples`);
  }
  if (out.json) { out.resultJson(res.rows); return 0; }
  out.result(formatTable(res.columns, res.rows.map((r) => res.columns.map((c) => cell(r[c])))));
  return 0;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toFixed(1) : String(v);
}
