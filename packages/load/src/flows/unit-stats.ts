import { createHistogram, decodeHistogram, encodeHistogram, LatencyCounts } from '@headroom/internal';
import type { CheckEnd, FlowEnd, Histogram } from '@headroom/internal';

/** Distinct error messages kept per flow and phase; later ones are only counted. */
const MAX_MESSAGES = 5;
const MAX_MESSAGE_CHARS = 300;

interface FlowStat {
  iterations: number;
  failed: number;
  dropped: number;
  durations: LatencyCounts;
  messages: Map<string, number>;
}

/** Checks and flow iterations of one unit (phase or step) of the scripted engine. */
export class UnitStats {
  readonly #checks = new Map<string, { passes: number; fails: number }>();
  readonly #flows = new Map<string, FlowStat>();

  check(name: string, passed: boolean): void {
    let c = this.#checks.get(name);
    if (c === undefined) this.#checks.set(name, (c = { passes: 0, fails: 0 }));
    if (passed) c.passes++;
    else c.fails++;
  }

  #flow(name: string): FlowStat {
    let f = this.#flows.get(name);
    if (f === undefined)
      this.#flows.set(name, (f = { iterations: 0, failed: 0, dropped: 0, durations: new LatencyCounts(), messages: new Map() }));
    return f;
  }

  started(flow: string): void {
    this.#flow(flow).iterations++;
  }

  /** An iteration ended: `ms` from its intended start; `error` when it threw. */
  ended(flow: string, ms: number, error: unknown): void {
    const f = this.#flow(flow);
    f.durations.record(ms * 1000);
    if (error === undefined) return;
    f.failed++;
    const m = (error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).slice(
      0,
      MAX_MESSAGE_CHARS,
    );
    const n = f.messages.get(m);
    if (n !== undefined) f.messages.set(m, n + 1);
    else if (f.messages.size < MAX_MESSAGES) f.messages.set(m, 1);
  }

  dropped(flow: string): void {
    this.#flow(flow).dropped++;
  }

  checkEnds(): CheckEnd[] {
    return [...this.#checks].map(([name, c]) => ({ name, ...c }));
  }

  flowEnds(): FlowEnd[] {
    return [...this.#flows].map(([name, f]) => {
      const h = createHistogram();
      f.durations.drainInto(h);
      return {
        name,
        iterations: f.iterations,
        failed: f.failed,
        dropped: f.dropped,
        hist: encodeHistogram(h),
        messages: [...f.messages].map(([message, count]) => ({ message, count })),
      };
    });
  }
}

/** Sums checks of several units (steps into their phase, workers into the run). */
export function sumChecks(lists: readonly (readonly CheckEnd[])[]): CheckEnd[] {
  const out = new Map<string, CheckEnd>();
  for (const l of lists)
    for (const c of l) {
      const t = out.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
      t.passes += c.passes;
      t.fails += c.fails;
      out.set(c.name, t);
    }
  return [...out.values()];
}

/** Sums flows of several units; messages keep the first MAX_MESSAGES distinct ones. */
export function sumFlows(lists: readonly (readonly FlowEnd[])[]): FlowEnd[] {
  const out = new Map<string, { end: FlowEnd; hist: Histogram; messages: Map<string, number> }>();
  for (const l of lists)
    for (const f of l) {
      const t = out.get(f.name) ?? {
        end: { ...f, iterations: 0, failed: 0, dropped: 0 },
        hist: createHistogram(),
        messages: new Map<string, number>(),
      };
      t.end.iterations += f.iterations;
      t.end.failed += f.failed;
      t.end.dropped += f.dropped;
      t.hist.add(decodeHistogram(f.hist));
      for (const m of f.messages) {
        const n = t.messages.get(m.message);
        if (n !== undefined) t.messages.set(m.message, n + m.count);
        else if (t.messages.size < MAX_MESSAGES) t.messages.set(m.message, m.count);
      }
      out.set(f.name, t);
    }
  return [...out.values()].map((t) => ({
    ...t.end,
    hist: encodeHistogram(t.hist),
    messages: [...t.messages].map(([message, count]) => ({ message, count })),
  }));
}
