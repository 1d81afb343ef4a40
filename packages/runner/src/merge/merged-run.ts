/**
 * The `runs` row of a run merged from segment runs: the worst segment status, every segment's
 * error and warnings (each marked with its segment), the hosts that generated the load, and
 * the segments' config with `segment` replaced by the list of segments it was made of.
 */
import type { Pinning } from '@headroom/internal';
import type { Row } from '@headroom/store';
import { label, type SegmentRun } from './pick-execution.ts';

/** A merged run's status: `completed` only when every segment completed. */
export type MergedStatus = 'completed' | 'aborted' | 'abandoned' | 'interrupted' | 'failed';

/** Worse statuses rank higher; a status this headroom does not know counts as failed. */
const RANK: Record<MergedStatus, number> = { completed: 0, aborted: 1, abandoned: 2, interrupted: 3, failed: 4 };

/** The worst of the segments' statuses: failed > interrupted > abandoned > aborted > completed. */
export function mergedStatus(statuses: readonly string[]): MergedStatus {
  let worst: MergedStatus = 'completed';
  for (const s of statuses) {
    const status: MergedStatus = s in RANK ? (s as MergedStatus) : 'failed';
    if (RANK[status] > RANK[worst]) worst = status;
  }
  return worst;
}

/** Each segment's error, marked with its segment and run; null when none failed. */
export function mergedError(segments: readonly SegmentRun[]): string | null {
  const errors = segments.filter((s) => s.run.error).map((s) => `segment ${label(s)} (run ${s.run.id}): ${s.run.error}`);
  return errors.length === 0 ? null : errors.join('; ');
}

/** Every segment's warnings, marked with its segment, then where the segments differ in what ran them. */
export function mergedWarnings(segments: readonly SegmentRun[]): string[] {
  const own = segments.flatMap((s) => s.run.warnings.map((w) => `segment ${label(s)}: ${w}`));
  const differ = (what: string, pick: (s: SegmentRun) => string | null) => {
    const values = [...new Set(segments.map((s) => pick(s) ?? 'unknown'))];
    return values.length > 1 ? [`the segments ran ${what} (${values.join(', ')}); the merged run names segment 0's`] : [];
  };
  return [
    ...own,
    ...differ('at different commits', (s) => (s.run.gitSha ? `${s.run.gitSha.slice(0, 12)}${s.run.gitDirty ? '+dirty' : ''}` : null)),
    ...differ('different headroom versions', (s) => s.run.version),
    ...differ('on different Node versions', (s) => s.run.nodeVersion),
  ];
}

/** Every segment's verified pinning, each role marked with its segment (`segment-2/worker-0`). */
export function mergedPinning(segments: readonly SegmentRun[]): Pinning[] {
  return segments.flatMap((s) => (s.run.pinning as Pinning[]).map((p) => ({ ...p, role: `segment-${s.segment.index}/${p.role}` })));
}

/** How a merged run ended, to go into its row. */
export interface MergedEnd {
  status: MergedStatus;
  gates: 'passed' | 'failed' | null;
  error: string | null;
  warnings: readonly string[];
  pinning: readonly Pinning[];
}

/** The `runs` row of the run `id` merged from `segments` (in index order). */
export function mergedRunRow(id: string, segments: readonly SegmentRun[], end: MergedEnd): Partial<Row<'runs'>> {
  const head = (segments[0] as SegmentRun).run;
  const hosts = segments.map((s) => s.run.host ?? 'unknown');
  const { segment: _segment, ...config } = (head.config ?? {}) as Record<string, unknown>;
  const ended = segments.map((s) => s.run.endedAt?.getTime() ?? s.run.startedAt.getTime());
  return {
    id,
    kind: head.kind,
    scenario: head.scenario,
    file: head.file,
    status: end.status,
    gates: end.gates,
    started_at: Math.min(...segments.map((s) => s.run.startedAt.getTime())),
    ended_at: Math.max(...ended),
    git_sha: head.gitSha,
    git_dirty: head.gitDirty,
    git_branch: head.gitBranch,
    version: head.version,
    host: [...new Set(hosts)].join(', '),
    cpu_model: head.cpuModel,
    cpu_count: head.cpuCount,
    node_version: head.nodeVersion,
    service_cpus: JSON.stringify(head.serviceCpus),
    worker_cpus: JSON.stringify(head.workerCpus),
    pinning: JSON.stringify(end.pinning),
    config: JSON.stringify({ ...config, segments: { count: segments.length, runs: segments.map((s) => s.run.id), hosts } }),
    error: end.error,
    warnings: JSON.stringify(end.warnings),
  };
}
