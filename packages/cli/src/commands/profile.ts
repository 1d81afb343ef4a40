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
  const r = profileTop(await readFunctionRows(store, id), { ...opt('phase', a.phase), ...opt('type', a.type), ...opt('limit', a.limit) });
  if (r.rows.length === 0) {
    const types = [...new Set((await readProfiles(store, id)).map((p) => p.type))];
    throw new UsageError(
      `run ${id} has no ${r.type} profile${a.phase ? ` for phase ${a.phase}` : ''}; ${
        types.length > 0
          ? `it has ${types.join(', ')}: try --type ${types[0]}`
          : 'none was captured (service.capture: { cpu: true } in a scenario, or headroom bench --profile)'
      }`,
    );
  }
  if (out.json) out.resultJson({ runId: id, ...r });
  else out.result(formatProfileTop(r));
  return 0;
}

/** Per-function change of shares between two runs. */
export async function profileDiffCommand(store: Store, out: Output, a: ProfileDiffArgs): Promise<number> {
  const base = await resolveRunRef(store, a.baseline);
  const cand = await resolveRunRef(store, a.candidate);
  const r = profileDiff(await readFunctionRows(store, base), await readFunctionRows(store, cand), {
    ...opt('phase', a.phase),
    ...opt('type', a.type),
    ...opt('limit', a.limit),
  });
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
    throw new UsageError(`run ${id} has no server spans; capture traces with service.capture: { traces: true } and cpu: true`);
  if (r.status === 'no-labels')
    throw new UsageError(`${path} has no span_id labels (capture cpu with traces on, from the headroom agent or a span-profiles SDK)`);
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

async function profilePath(store: Store, id: string, phase: string | undefined, type: string): Promise<string> {
  const picked: PickedProfile = pickProfile(await readProfiles(store, id), { type, ...opt('phase', phase) });
  if (picked.status === 'none') {
    throw new UsageError(
      `run ${id} has no ${type} profile${phase ? ` for phase ${phase}` : ''} (types: ${picked.availableTypes.join(', ') || 'none captured'})`,
    );
  }
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
