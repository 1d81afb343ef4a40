import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@headroom/core';
import { exportProfile, profileDiff, profileTop, slowSpanProfile, slowestSpanIds, type FunctionRow, type SpanRow } from '@headroom/capture';
import { resolveRunRef, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

type Values = Record<string, string | boolean | undefined>;

/** `headroom profile top|diff|export|slowest`: the profiles captured during load runs. */
export async function profileCommand(args: string[], store: Store, out: Output, values: Values): Promise<number> {
  const [sub, ...rest] = args;
  const phase = str(values['phase']);
  const type = str(values['type']);
  const limit = values['limit'] === undefined ? undefined : Number(values['limit']);
  switch (sub) {
    case 'top': {
      const id = await resolveRunRef(store, need(rest[0], 'headroom profile top <run> [--phase P] [--type cpu|wall|heap] [--limit N]'));
      const rows = await functions(store, id);
      const r = profileTop(rows, { ...(phase ? { phase } : {}), ...(type ? { type } : {}), ...(limit ? { limit } : {}) });
      if (r.rows.length === 0) throw new UsageError(`run ${id} has no ${r.type} profile${phase ? ` for phase ${phase}` : ''}; profiles are captured with service.capture: { cpu: true } (types: ${await types(store, id)})`);
      if (out.json) out.resultJson({ runId: id, ...r, text: undefined }); else out.result(r.text);
      return 0;
    }
    case 'diff': {
      const usage = 'headroom profile diff <baseline-run> <candidate-run> [--phase P] [--type cpu]';
      const base = await resolveRunRef(store, need(rest[0], usage));
      const cand = await resolveRunRef(store, need(rest[1], usage));
      const r = profileDiff(await functions(store, base), await functions(store, cand), { ...(phase ? { phase } : {}), ...(type ? { type } : {}), ...(limit ? { limit } : {}) });
      if (out.json) out.resultJson({ baseline: base, candidate: cand, ...r, text: undefined }); else out.result(r.text);
      return 0;
    }
    case 'export': {
      const id = await resolveRunRef(store, need(rest[0], 'headroom profile export <run> --format pprof|speedscope [--phase P] [--type cpu|heap] [-o file]'));
      const format = str(values['format']) ?? 'pprof';
      if (format !== 'pprof' && format !== 'speedscope') throw new UsageError(`--format takes pprof or speedscope; got ${format}`);
      const path = await profilePath(store, id, phase, type ?? 'cpu');
      const r = await exportProfile(path, format);
      const dest = str(values['output']) ?? join(process.cwd(), r.fileName);
      writeFileSync(dest, r.data);
      if (out.json) out.resultJson({ runId: id, format, source: path, path: dest, bytes: r.data.length });
      else out.result(`wrote ${dest} (${format}, ${r.data.length} bytes) from ${path}\n  open with: ${format === 'pprof' ? `go tool pprof -top ${dest}` : 'https://www.speedscope.app (drag the file in)'}`);
      return 0;
    }
    case 'slowest': {
      const id = await resolveRunRef(store, need(rest[0], 'headroom profile slowest <run> [--limit N] [--phase P] [-o file]'));
      const spans = await store.query<SpanRow>('SELECT * FROM spans WHERE run_id = $1', [id]);
      const ids = slowestSpanIds(spans, limit ?? 10);
      if (ids.length === 0) throw new UsageError(`run ${id} has no server spans; capture traces with service.capture: { traces: true } and cpu: true`);
      const dest = str(values['output']) ?? join(process.cwd(), `${id}.slowest.pb.gz`);
      const r = await slowSpanProfile({ profilePath: await profilePath(store, id, phase, 'cpu'), spanIds: ids, outPath: dest });
      if (r.status !== 'ok') throw new UsageError(r.message);
      if (out.json) out.resultJson({ runId: id, spans: r.matchedSpans, samples: r.samples, path: r.path });
      else out.result(`CPU samples of the ${r.matchedSpans.length} slowest spans (${r.samples} samples) written to ${r.path}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown profile subcommand ${JSON.stringify(sub ?? '')}; use top, diff, export or slowest`);
  }
}

async function functions(store: Store, id: string): Promise<FunctionRow[]> {
  return store.query<FunctionRow>('SELECT phase, type, function, file, line, self, total, unit FROM profile_functions WHERE run_id = $1', [id]);
}

async function types(store: Store, id: string): Promise<string> {
  const rows = await store.query<{ type: string }>('SELECT DISTINCT type FROM profiles WHERE run_id = $1 ORDER BY type', [id]);
  return rows.map((r) => r.type).join(', ') || 'none captured';
}

async function profilePath(store: Store, id: string, phase: string | undefined, type: string): Promise<string> {
  const rows = await store.query<{ phase: string; path: string }>(
    `SELECT phase, path FROM profiles WHERE run_id = $1 AND type = $2 ${phase ? 'AND phase = $3' : ''} ORDER BY phase`, phase ? [id, type, phase] : [id, type]);
  if (rows.length === 0) throw new UsageError(`run ${id} has no ${type} profile${phase ? ` for phase ${phase}` : ''} (types: ${await types(store, id)})`);
  if (rows.length > 1) throw new UsageError(`run ${id} has ${type} profiles for phases ${rows.map((r) => r.phase).join(', ')}; pick one with --phase`);
  return (rows[0] as { path: string }).path;
}

function need(v: string | undefined, usage: string): string {
  if (!v) throw new UsageError(`usage: ${usage}`);
  return v;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
