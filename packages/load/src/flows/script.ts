import { readDataFile } from '@headroom/core';
import type { DataRow, FlowFn, RequestContext, ScenarioInput, Vu } from '@headroom/core';
import type { Request } from '@headroom/core';
import { importDefault } from '@headroom/internal';
import type { WorkerScript } from '@headroom/internal';
import { RequestMix } from '../request-mix.ts';
import { DataPicker } from './data-picker.ts';

/** A flow ready to run: its name and function. */
export interface RunnableFlow {
  name: string;
  fn: FlowFn;
}

/** The scenario module's functions and data, loaded once per worker. */
export interface Script {
  flows: RunnableFlow[];
  /** Picks the next flow by weight. */
  nextFlow(): RunnableFlow;
  pickers: DataPicker[];
}

/**
 * Imports the scenario file in the worker (functions cannot cross IPC) and builds the flows:
 * the scenario's own, or, for a request mix with checks or dynamic parts, one flow that sends
 * the next request of the mix built from the request context.
 */
export async function loadScript(script: WorkerScript, requests: readonly Request[], worker: number, workers: number): Promise<Script> {
  const { value } = await importDefault(script.file, { kind: 'scenario', example: 'export default defineScenario({...})' });
  const input = value as ScenarioInput;
  const pickers = script.data.map((spec) => {
    const raw = input.data?.[spec.name];
    let rows: readonly DataRow[];
    if (spec.file !== null && spec.kind !== 'inline') {
      const r = readDataFile(spec.kind, spec.file, script.file);
      if (!r.ok) throw new Error(r.message);
      rows = r.rows;
    } else rows = Array.isArray(raw) ? (raw as DataRow[]) : ((raw as { rows?: DataRow[] } | undefined)?.rows ?? []);
    return new DataPicker(spec, rows, worker, workers);
  });
  let flows: RunnableFlow[];
  let weights: { weight: number }[];
  if (script.flows.length > 0) {
    flows = script.flows.map((f) => {
      const v = input.flows?.[f.name];
      return { name: f.name, fn: (typeof v === 'function' ? v : v?.fn) as FlowFn };
    });
    weights = script.flows;
  } else {
    flows = [{ name: 'requests', fn: requestFlow(input, requests) }];
    weights = [{ weight: 1 }];
  }
  const mix = new RequestMix(weights as Request[]);
  return { flows, nextFlow: () => flows[mix.next()] as RunnableFlow, pickers };
}

/** A flow sending one request of the mix per iteration, its dynamic parts called with the request context. */
function requestFlow(input: ScenarioInput, requests: readonly Request[]): FlowFn {
  const mix = new RequestMix(requests as Request[]);
  const raws = input.requests ?? [];
  return async (vu: Vu) => {
    const i = mix.next();
    const r = requests[i] as Request;
    const raw = raws[i];
    const ctx: RequestContext = { iteration: vu.iteration, vu: vu.id, data: vu.data, random: () => vu.random() };
    const path = typeof raw?.path === 'function' ? raw.path(ctx) : r.path;
    const headers = typeof raw?.headers === 'function' ? { ...r.headers, ...raw.headers(ctx) } : r.headers;
    const json = typeof raw?.json === 'function' ? (raw.json as (c: RequestContext) => unknown)(ctx) : undefined;
    await vu.request(r.method, path, {
      name: r.name,
      headers,
      ...(json !== undefined ? { json } : r.body !== null ? { body: r.body } : {}),
      ...(raw?.check !== undefined ? { check: raw.check } : {}),
    });
  };
}
