/** Terminal text of `headroom runs ls` and `headroom runs show`. */
import type { BenchTaskAggregate, RunListing, StoredGate, StoredPhase, StoredRun } from '@headroom/store';
import { formatScripted, type ScriptedPhase } from './scripted-summary.ts';
import { formatTable, painter } from './table.ts';
import { formatMs } from './units.ts';
import { partialNote } from './run-summary.ts';
import { stealLine } from './steal-line.ts';

/** The run list, newest first. */
export function formatRunList(rows: readonly RunListing[], db: string): string {
  if (rows.length === 0) return `no runs in ${db} yet; start one with: headroom run scenarios/quickstart.ts`;
  return formatTable(
    ['id', 'kind', 'scenario', 'status', 'gates', 'started', 'took', 'git'],
    rows.map((r) => [
      r.id,
      r.kind,
      r.scenario,
      r.status,
      r.gates ?? '-',
      r.startedAt.toISOString().replace('T', ' ').slice(0, 19),
      r.seconds === null ? '-' : `${Math.round(r.seconds)}s`,
      r.gitSha ? `${r.gitSha.slice(0, 8)}${r.gitDirty ? '+dirty' : ''}` : '-',
    ]),
    { rightAlign: [false, false, false, false, false, false, true, false] },
  );
}

/** What `runs show` shows of one run. */
export interface RunShowInput {
  run: StoredRun;
  /** Live progress of a run still going (read from its spool). */
  progress?: { seconds: number; requests: number; errors: number };
  phases: readonly StoredPhase[];
  gates: readonly StoredGate[];
  bench: readonly BenchTaskAggregate[];
  /** Per-name, check and flow results of the phases that have them (see scriptedPhases). */
  scripted?: readonly ScriptedPhase[];
}

/** One run: identity, phases (with their per-name, check and flow results), bench tasks, gates, warnings. */
export function formatRunShow({ run: r, phases, gates, bench, progress, scripted = [] }: RunShowInput): string {
  const lines = [
    `run ${r.id}  ${r.kind}  ${r.scenario}  ${r.status}${r.gates ? `  gates ${r.gates}` : ''}`,
    ...(progress
      ? [
          `in progress: ${progress.seconds}s measured so far, ${progress.requests} requests, ${progress.errors} errors (from the run's spool; not in the store until it ends)`,
        ]
      : []),
    `started ${r.startedAt.toISOString()}  git ${r.gitSha ?? '-'}${r.gitDirty ? ' (dirty)' : ''}${r.gitBranch ? ` on ${r.gitBranch}` : ''}  headroom ${r.version ?? '-'}  node ${r.nodeVersion ?? '-'}`,
    `host ${r.host ?? '-'}  ${r.cpuModel ?? '-'} ×${r.cpuCount ?? '-'}  service CPUs ${cpuList(r.serviceCpus)}  worker CPUs ${cpuList(r.workerCpus)}`,
  ];
  if (r.error) lines.push(`error: ${r.error}`);
  const ms = (v: number | null) => (v === null ? '-' : formatMs(v));
  if (phases.length > 0) {
    lines.push(
      '',
      formatTable(
        ['phase', 'offered', 'achieved', 'requests', 'errors', 'p50', 'p99', 'p99.9', 'svc p99', 'late'],
        phases.map((p) => [
          `${String(p.phase)}${p.partial === true ? ' (partial)' : p.cut_short === true ? ' (cut short)' : ''}`,
          p.offered_rate === null ? 'closed' : `${Math.round(p.offered_rate)}/s`,
          `${Math.round(p.achieved_rate ?? 0)}/s`,
          String(p.requests ?? 0),
          String(p.errors ?? 0),
          ms(p.p50_ms),
          ms(p.p99_ms),
          ms(p.p999_ms),
          ms(p.svc_p99_ms),
          String(p.late_sends ?? 0),
        ]),
      ),
    );
    const partial = phases.filter((p) => p.partial === true).map((p) => String(p.phase));
    if (partial.length > 0) lines.push(partialNote(partial, r.status));
    const stolen = stealLine(
      phases.map((p) => ({ phase: String(p.phase), generator: p.steal_generator ?? null, service: p.steal_service ?? null })),
    );
    if (stolen !== null) lines.push(stolen);
  }
  lines.push(...formatScripted(scripted, painter(false)));
  if (bench.length > 0) {
    lines.push(
      '',
      formatTable(
        ['task', 'reps', 'median ns', 'min', 'max'],
        bench.map((b) => [b.task, String(b.repetitions), b.medianNs.toFixed(1), b.minNs.toFixed(1), b.maxNs.toFixed(1)]),
      ),
    );
  }
  for (const g of gates) lines.push(`${g.passed ? '✓' : '✗'} ${g.key} ${g.expression} (value ${g.value ?? 'no data'})`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** Rows of the user's own SQL as a table. */
export function formatSqlRows(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return formatTable(
    [...columns],
    rows.map((r) => columns.map((c) => cell(r[c]))),
  );
}

/** One line per table of a runs export or import. */
export function formatTransfer(
  verb: 'exported' | 'imported',
  r: { dir: string; runs: readonly string[]; rows: Readonly<Record<string, number | undefined>> },
): string {
  const tables = Object.entries(r.rows).map(([t, n]) => `  ${t.padEnd(18)} ${String(n ?? 0).padStart(9)} rows`);
  return [`${verb} ${r.runs.length} run${r.runs.length === 1 ? '' : 's'} ${verb === 'exported' ? 'to' : 'from'} ${r.dir}`, ...tables].join(
    '\n',
  );
}

/** A CPU set as users write it for taskset (`0,1`), or `-` when there is none (no service block). */
function cpuList(cpus: readonly number[] | null | undefined): string {
  return cpus && cpus.length > 0 ? cpus.join(',') : '-';
}
