/** `headroom traces slow <run>`: the slowest sampled requests with the service's span tree. */
import { UsageError } from '@headroom/core';
import { slowTraces } from '@headroom/analysis';
import { formatSlowTraces } from '@headroom/report';
import { readSpans, readTraceSamples, resolveRunRef, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

/** `traces slow <run>`. */
export interface TracesSlowArgs {
  run: string;
  limit?: number;
  phase?: string;
}

/** The slowest sampled requests of a run, each with its span tree. */
export async function tracesSlowCommand(store: Store, out: Output, a: TracesSlowArgs): Promise<number> {
  const id = await resolveRunRef(store, a.run);
  const samples = await readTraceSamples(store, id);
  if (samples.length === 0)
    throw new UsageError(
      `run ${id} has no sampled requests; set trace: { sample: 0.01 } in the scenario (and service.capture.traces for server spans)`,
      'E_NO_TRACES',
    );
  const phases = [...new Set(samples.map((x) => x.phase))];
  if (a.phase !== undefined && !phases.includes(a.phase))
    throw new UsageError(
      `run ${id} has no sampled requests in phase "${a.phase}"; its phases with some: ${phases.join(', ') || 'none'}`,
      'E_NO_TRACES',
    );
  const r = slowTraces(await readSpans(store, id), samples, {
    ...(a.limit !== undefined ? { limit: a.limit } : {}),
    ...(a.phase !== undefined ? { phase: a.phase } : {}),
  });
  if (out.json) out.resultJson({ runId: id, traces: r.traces });
  else out.result(formatSlowTraces(r));
  return 0;
}

/** Dispatches `headroom traces <sub> …` from positional arguments and parsed flags. */
export async function tracesCommand(
  args: string[],
  store: Store,
  out: Output,
  values: Record<string, string | boolean | undefined>,
): Promise<number> {
  const [sub, ref] = args;
  if (sub !== 'slow' || !ref) throw new UsageError('usage: headroom traces slow <run> [--limit N] [--phase P]');
  const limit = values['limit'];
  if (limit !== undefined && !(typeof limit === 'string' && /^[1-9]\d*$/.test(limit))) {
    throw new UsageError(`--limit takes a positive whole number; got ${JSON.stringify(limit)}`);
  }
  return tracesSlowCommand(store, out, {
    run: ref,
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
    ...(typeof values['phase'] === 'string' ? { phase: values['phase'] } : {}),
  });
}
