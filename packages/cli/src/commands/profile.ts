/**
 * `headroom profile top|diff|export|slowest`: the profiles captured during load runs. Each
 * subcommand reads typed rows from the store, hands them to analysis, and the result to report.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '@headroom/core';
import {
  exportProfile,
  pickProfile,
  profileDiff,
  profileTop,
  slowSpanProfile,
  type ExportFormat,
  type PickedProfile,
} from '@headroom/analysis';
import { readPprof, writePprof } from '@headroom/capture/profile';
import { formatProfileDiff, formatProfileTop } from '@headroom/report';
import { readFunctionRows, readProfiles, readSpans, resolveRunRef, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

type Values = Record<string, string | boolean | undefined>;

/** `profile top <run>`. */
export interface ProfileTopArgs {
  run: string;
  phase?: string;
  type?: string;
  limit?: number;
}
/** `profile diff <baseline> <candidate>`. */
export interface ProfileDiffArgs {
  baseline: string;
  candidate: string;
  phase?: string;
  type?: string;
  limit?: number;
}
/** `profile export <run>`. */
export interface ProfileExportArgs {
  run: string;
  format: ExportFormat;
  phase?: string;
  type?: string;
  output?: string;
}
/** `profile slowest <run>`. */
export interface ProfileSlowestArgs {
  run: string;
  phase?: string;
  limit?: number;
  output?: string;
}

const USAGE = {
  top: 'headroom profile top <run> [--phase P] [--type cpu|wall|heap] [--limit N]',
  diff: 'headroom profile diff <baseline-run> <candidate-run> [--phase P] [--type cpu] [--limit N]',
  export: 'headroom profile export <run> --format pprof|speedscope [--phase P] [--type cpu|heap] [-o file]',
  slowest: 'headroom profile slowest <run> [--limit N] [--phase P] [-o file]',
} as const;

/** The functions with the most self time in one run's profile, idle stated apart. */
export async function profileTopCommand(store: Store, out: Output, a: ProfileTopArgs): Promise<number> {
  const id = await resolveRunRef(store, a.run);
  const rows = await readFunctionRows(store, id);
  const r = profileTop(rows, { ...opt('phase', a.phase), ...opt('type', a.type), ...opt('limit', a.limit) });
  if (r.rows.length === 0) throw noProfile(id, rows, r.type, a.phase);
  if (out.json) out.resultJson({ runId: id, ...r });
  else out.result(formatProfileTop(r));
  return 0;
}

/** Per-function change of shares between two runs. */
export async function profileDiffCommand(store: Store, out: Output, a: ProfileDiffArgs): Promise<number> {
  const base = await resolveRunRef(store, a.baseline);
  const cand = await resolveRunRef(store, a.candidate);
  const type = a.type ?? 'cpu';
  const baseRows = await readFunctionRows(store, base);
  const candRows = await readFunctionRows(store, cand);
  // A side without the profile would read as every function removed (or added): refuse it instead.
  for (const [id, rows] of [
    [base, baseRows],
    [cand, candRows],
  ] as const)
    if (!rows.some((x) => x.type === type && (a.phase === undefined || x.phase === a.phase))) throw noProfile(id, rows, type, a.phase);
  const r = profileDiff(baseRows, candRows, { ...opt('phase', a.phase), type, ...opt('limit', a.limit) });
  if (out.json) out.resultJson({ baseline: base, candidate: cand, ...r });
  else out.result(formatProfileDiff(r));
  return 0;
}

/** A stored profile as gzipped pprof or speedscope JSON. */
export async function profileExportCommand(store: Store, out: Output, a: ProfileExportArgs): Promise<number> {
  const id = await resolveRunRef(store, a.run);
  const path = await profilePath(store, id, a.phase, a.type ?? 'cpu');
  const r = exportProfile(await readFile(path), basename(path), a.format);
  const dest = a.output ?? join(process.cwd(), r.fileName);
  await writeFile(dest, r.data);
  if (out.json) out.resultJson({ runId: id, format: a.format, source: path, path: dest, bytes: r.data.length });
  else
    out.result(
      `wrote ${dest} (${a.format}, ${r.data.length} bytes) from ${path}\n  open with: ${a.format === 'pprof' ? `go tool pprof -top ${dest}` : 'https://www.speedscope.app (drag the file in)'}`,
    );
  return 0;
}

/** The CPU samples of the slowest server spans, written as a pprof of their own. */
export async function profileSlowestCommand(store: Store, out: Output, a: ProfileSlowestArgs): Promise<number> {
  const id = await resolveRunRef(store, a.run);
  const path = await profilePath(store, id, a.phase, 'cpu');
  const r = slowSpanProfile(await readPprof(path), await readSpans(store, id, { kind: 'server' }), { ...opt('limit', a.limit) });
  if (r.status === 'no-spans')
    throw new UsageError(
      `run ${id} has no server spans; capture traces with service.capture: { traces: true } and cpu: true`,
      'E_NO_TRACES',
    );
  if (r.status === 'no-labels')
    throw new UsageError(
      `no CPU sample in ${path} carries a span_id label: either the capture ran without traces (service.capture: { cpu: true, traces: true }, from the headroom agent or a span-profiles SDK), or no sample landed inside a traced request (raise trace.sample, or measure longer)`,
      'E_NO_TRACES',
    );
  if (r.status === 'no-match') throw new UsageError(`none of the ${r.spanIds.length} spans has CPU samples in ${path}`);
  const dest = a.output ?? join(process.cwd(), `${id}.slowest.pb.gz`);
  await writePprof(dest, r.profile);
  if (out.json) out.resultJson({ runId: id, spans: r.matchedSpans, samples: r.samples, path: dest });
  else out.result(`CPU samples of the ${r.matchedSpans.length} slowest spans (${r.samples} samples) written to ${dest}`);
  return 0;
}

/** Dispatches `headroom profile <sub> …` from positional arguments and parsed flags. */
export async function profileCommand(args: string[], store: Store, out: Output, values: Values): Promise<number> {
  const [sub, ...rest] = args;
  const phase = str(values['phase']);
  const type = str(values['type']);
  const limit = positiveInt(values['limit']);
  const output = str(values['output']);
  switch (sub) {
    case 'top':
      return profileTopCommand(store, out, {
        run: need(rest[0], USAGE.top),
        ...opt('phase', phase),
        ...opt('type', type),
        ...opt('limit', limit),
      });
    case 'diff':
      return profileDiffCommand(store, out, {
        baseline: need(rest[0], USAGE.diff),
        candidate: need(rest[1], USAGE.diff),
        ...opt('phase', phase),
        ...opt('type', type),
        ...opt('limit', limit),
      });
    case 'export': {
      const format = str(values['format']) ?? 'pprof';
      if (format !== 'pprof' && format !== 'speedscope') throw new UsageError(`--format takes pprof or speedscope; got ${format}`);
      return profileExportCommand(store, out, {
        run: need(rest[0], USAGE.export),
        format,
        ...opt('phase', phase),
        ...opt('type', type),
        ...opt('output', output),
      });
    }
    case 'slowest':
      return profileSlowestCommand(store, out, {
        run: need(rest[0], USAGE.slowest),
        ...opt('phase', phase),
        ...opt('limit', limit),
        ...opt('output', output),
      });
    default:
      throw new UsageError(`unknown profile subcommand ${JSON.stringify(sub ?? '')}; use top, diff, export or slowest`);
  }
}

/**
 * E_NO_PROFILE for a run without a `type` profile (of `phase`), naming what it has: the phases
 * that type was captured for, else the types it has, else how to capture one.
 */
function noProfile(id: string, have: readonly { type: string; phase: string }[], type: string, phase: string | undefined): UsageError {
  const phases = [...new Set(have.filter((x) => x.type === type).map((x) => x.phase))];
  const types = [...new Set(have.map((x) => x.type))];
  const hint =
    phases.length > 0
      ? `its ${type} profiles are of phase${phases.length === 1 ? '' : 's'} ${phases.join(', ')}: try --phase ${phases[0]}`
      : types.length > 0
        ? `it has ${types.join(', ')} profiles: try --type ${types[0]}`
        : 'none was captured (service.capture: { cpu: true } in a scenario, or headroom bench --profile)';
  return new UsageError(`run ${id} has no ${type} profile${phase === undefined ? '' : ` for phase ${phase}`}; ${hint}`, 'E_NO_PROFILE');
}

async function profilePath(store: Store, id: string, phase: string | undefined, type: string): Promise<string> {
  const profiles = await readProfiles(store, id);
  const picked: PickedProfile = pickProfile(profiles, { type, ...opt('phase', phase) });
  if (picked.status === 'none') throw noProfile(id, profiles, type, phase);
  if (picked.status === 'ambiguous')
    throw new UsageError(`run ${id} has ${type} profiles for phases ${picked.phases.join(', ')}; pick one with --phase`);
  // The stored rows travel (runs import), the pprof files stay where the run wrote them.
  if (!existsSync(picked.profile.path))
    throw new UsageError(
      `run ${id}'s ${type} profile file ${picked.profile.path} is not on this machine (runs import carries the store's rows, not the files under results/<run-id>/); copy that folder here, or use profile top, which reads the stored function table`,
      'E_NO_PROFILE',
    );
  return picked.profile.path;
}

/** `{ [key]: value }` when value is set, else `{}` (optional properties stay absent, not undefined). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function need(v: string | undefined, usage: string): string {
  if (!v) throw new UsageError(`usage: ${usage}`);
  return v;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function positiveInt(v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit takes a positive whole number; got ${JSON.stringify(v)}`);
  return n;
}
