import { createRequire } from 'node:module';
import type { ErrorKind } from '@headroom/internal';
import type { Engine, EngineContext, UnitRun } from './engine.ts';
import { errorKind } from './connection.ts';

/** The slice of autocannon's API this engine uses (https://github.com/mcollina/autocannon#api). */
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void;
  on(event: 'reqError', fn: (err: NodeJS.ErrnoException) => void): void;
  on(event: 'done', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;
let loaded: Autocannon | null = null;
/** Loaded on first use, so headroom-engine workers never pay for it. */
function autocannon(opts: Record<string, unknown>): AutocannonInstance {
  loaded ??= createRequire(import.meta.url)('autocannon') as Autocannon;
  return loaded(opts);
}

/** Request sequence each autocannon client loops over: one cycle of the mix's weighted round-robin. */
function sequence(ctx: EngineContext): Record<string, unknown>[] {
  const n = Math.min(1000, Math.max(1, ctx.requests.length * 10));
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < n; k++) {
    const r = ctx.requests[ctx.mix.next()]!;
    const text = r.full.toString('latin1');
    const [line = '', ...rest] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
    const [method, path] = line.split(' ');
    const headers: Record<string, string> = {};
    for (const h of rest) {
      const i = h.indexOf(':');
      const name = h.slice(0, i).toLowerCase();
      if (name !== 'host' && name !== 'content-length') headers[name] = h.slice(i + 1).trim();
    }
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    out.push({ method, path, headers, ...(body.length > 0 ? { body } : {}) });
  }
  return out;
}

/**
 * The reference engine: autocannon drives the unit and its per-response callback feeds
 * the same recorder, so both engines report the same messages. autocannon only knows
 * service time (from its own send), so `hist` equals `serviceHist`. Its open model is
 * `overallRate` (spread over connections, sent in per-connection bursts each second), so
 * it is less truthful than the headroom engine's even schedule; a ramp runs at its mean
 * rate, with a warning. Traceparent is not supported here.
 */
export const autocannonEngine: Engine = (ctx) => {
  const u = ctx.unit;
  if (ctx.traces.take()) ctx.warn('the autocannon engine does not send traceparent; use the headroom engine for traces');
  const opts: Record<string, unknown> = {
    url: ctx.target,
    connections: u.connections,
    duration: Math.ceil(u.durationMs / 1000) + 60, // we stop it ourselves at the unit's end
    timeout: Math.max(1, Math.ceil(ctx.timeoutMs / 1000)),
    requests: sequence(ctx),
    excludeErrorStats: false,
    skipAggregateResult: true,
  };
  if (u.model === 'open') {
    if (u.rateFrom !== u.rateTo) ctx.warn(`the autocannon engine cannot ramp: ${u.name} ran at its mean rate ${u.offeredRate} req/s`);
    opts['overallRate'] = Math.max(1, Math.round((u.offeredRate ?? 1) / Math.max(1, workersOf(ctx))));
    // Its per-second bursts go out at 0, 1, … s, and the one due as the unit ends still left before
    // the stop landed (a 2 s phase at 300 req/s sent ~875): cap it at this worker's share of the schedule.
    if (u.schedule !== null && u.schedule.total > 0) opts['amount'] = u.schedule.total;
  }
  const instance = autocannon(opts);
  let resolve!: () => void;
  const drained = new Promise<void>((r) => {
    resolve = r;
  });
  const rec = ctx.recorder;
  instance.on('response', (_c, status, bytes, ms) => {
    const now = performance.now();
    rec.response(now - ms, now - ms, now, status, bytes);
  });
  instance.on('reqError', (err) => {
    const kind: ErrorKind = err.message === 'request timed out' ? 'timeout' : errorKind(err.code, true);
    rec.failure(kind);
  });
  instance.on('done', () => resolve());
  instance.on('error', (err) => {
    ctx.warn(`autocannon: ${err.message}`);
    resolve();
  });
  const run: UnitRun = {
    drained,
    finish: () => instance.stop(),
    abort: () => {
      instance.stop();
      resolve();
    },
  };
  return run;
};

/** Stripes sharing the open schedule (every worker of every segment), from the share of arrivals this worker got. */
function workersOf(ctx: EngineContext): number {
  const s = ctx.unit.schedule;
  const total = Math.ceil(((ctx.unit.rateFrom + ctx.unit.rateTo) / 2) * (ctx.unit.durationMs / 1000));
  return s === null || s.total === 0 ? 1 : Math.max(1, Math.round(total / s.total));
}
