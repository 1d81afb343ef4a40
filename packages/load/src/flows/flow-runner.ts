import { ArrivalTimer } from '../arrival-timer.ts';
import type { EngineContext, UnitRun } from '../engine.ts';
import { warnFailure } from '../failure-warning.ts';
import { TooManyNamesError } from '../name-table.ts';
import type { Script } from './script.ts';
import type { UnitStats } from './unit-stats.ts';
import { UnitEnded } from './vu-client.ts';
import type { VuClient, VuSinks } from './vu-client.ts';
import type { VuPool } from './vu-pool.ts';

/** What the flow runner needs besides the engine context. */
export interface FlowRunContext {
  script: Script;
  stats: UnitStats;
  /** The worker's VUs, which this unit borrows and gives back when it ends. */
  pool: VuPool;
}

/**
 * The scripted engine: virtual users running flows.
 *
 * Closed model: each of the unit's `connections` VUs loops its flow (think time between
 * iterations). Open model, as k6's arrival-rate executors: each arrival of the schedule
 * starts one iteration on an idle VU; with none idle a VU is added up to `maxVus`, past that
 * the iteration is dropped and counted (k6's dropped_iterations; maxVUs defaults to the
 * preallocated VUs: grafana.com/docs/k6/latest/using-k6/scenarios/executors/constant-arrival-rate
 * and …/scenarios/concepts/dropped-iterations). The first request of an
 * iteration counts its latency from the arrival's intended time, so a generator that started
 * it late is charged, not hidden. VU ids are interleaved across workers (worker i of n owns
 * ids i, i+n, …), globally unique.
 */
export class FlowRunner implements UnitRun {
  readonly #ctx: EngineContext;
  readonly #run: FlowRunContext;
  readonly #sinks: VuSinks;
  readonly #vus: VuClient[] = [];
  readonly #idle: VuClient[] = [];
  #running = 0;
  #finishing = false;
  #ended = false;
  #next = 0;
  readonly #timer: ArrivalTimer;
  readonly #sweep: NodeJS.Timeout;
  readonly #maxVus: number;
  readonly drained: Promise<void>;
  #resolve!: () => void;
  /** Set when a data source set to stop ran out: no more iterations start in this unit. */
  #exhausted = false;

  constructor(ctx: EngineContext, run: FlowRunContext) {
    this.#ctx = ctx;
    this.#run = run;
    const url = new URL(ctx.target);
    this.#timer = new ArrivalTimer(this.#wake, { poll: ctx.poll, recorder: ctx.recorder });
    this.#sinks = {
      recorder: ctx.recorder,
      names: ctx.names,
      stats: run.stats,
      host: url.host,
      timeoutMs: ctx.timeoutMs,
      ...(ctx.unit.model === 'open' ? { answered: this.#poke } : {}),
      warnFailure: (request, kind, detail) => warnFailure(ctx, request, kind, detail),
    };
    this.drained = new Promise((r) => {
      this.#resolve = r;
    });
    const every = Math.min(250, Math.max(5, ctx.timeoutMs / 10));
    this.#sweep = setInterval(() => {
      const limit = performance.now() - ctx.timeoutMs;
      for (const v of this.#vus) v.sweep(limit);
    }, every);
    const u = ctx.unit;
    this.#maxVus = u.model === 'open' ? u.maxVus : u.connections;
    // Closed: every VU loops from the start. Open: VUs are taken from the pool as arrivals need them
    // (the pool prepared `connections` of them), so a phase starting while the last one drains finds them free.
    if (u.model === 'closed') for (let k = 0; k < u.connections; k++) this.#loop(this.#newVu(), ctx.startPerf);
    else this.#wake();
  }

  #newVu(): VuClient {
    const v = this.#run.pool.take(this.#sinks);
    this.#vus.push(v);
    return v;
  }

  /** Closed model: iterations back to back on one VU. */
  #loop(v: VuClient, intended: number): void {
    if (this.#finishing || this.#exhausted) return;
    void this.#iterate(v, intended).then(() => {
      if (this.#finishing || this.#exhausted) return this.#checkDrained();
      const think = this.#ctx.unit.thinkTimeMs;
      // Never straight on: a flow that fails (or ends) without I/O would loop in microtasks and starve the event loop.
      if (think > 0) setTimeout(() => this.#loop(v, performance.now()), think);
      else setImmediate(() => this.#loop(v, performance.now()));
    });
  }

  /** Runs one iteration of a flow on `v`; resolves when it ended, whatever its outcome. */
  async #iterate(v: VuClient, intended: number): Promise<void> {
    const flow = this.#run.script.nextFlow();
    const data: VuClient['data'] = {};
    for (const p of this.#run.script.pickers) {
      const row = p.pick({ vu: v.id, random: () => v.random() });
      if (row === undefined) {
        if (!this.#exhausted)
          this.#ctx.warn(
            `data ${p.name} ran out of rows in ${this.#ctx.unit.name} (whenExhausted: 'stop'): no more iterations start in this phase`,
            `data:${p.name}:${this.#ctx.unit.name}`,
          );
        this.#exhausted = true;
        return;
      }
      data[p.name] = row;
    }
    v.data = data;
    v.intendedNext = intended;
    this.#running++;
    this.#run.stats.started(flow.name);
    let error: unknown;
    try {
      await flow.fn(v);
    } catch (err) {
      error = err;
    }
    this.#running--;
    v.iteration++;
    if (error instanceof TooManyNamesError) {
      this.#exhausted = true; // start nothing more
      // Not a failed iteration: the run cannot report such results. The worker fails with the fix in the message.
      setImmediate(() => {
        throw error;
      });
      return;
    }
    if (error instanceof UnitEnded) return;
    this.#run.stats.ended(flow.name, performance.now() - intended, error);
  }

  /** A response arrived (open model): start what fell due since, sooner than the 1 ms timer would. */
  #poke = (): void => {
    const s = this.#ctx.unit.schedule!;
    if (this.#next < s.total && !this.#finishing && this.#ctx.startPerf + s.at(this.#next) <= performance.now()) this.#wake();
  };

  /** Open model: start every arrival that fell due. */
  #wake = (): void => {
    const ctx = this.#ctx;
    const s = ctx.unit.schedule!;
    const rel = performance.now() - ctx.startPerf;
    while (this.#next < s.total && !this.#exhausted) {
      const t = s.at(this.#next);
      if (t > rel) break;
      this.#next++;
      const intended = ctx.startPerf + t;
      let v = this.#idle.pop();
      if (v === undefined && this.#vus.length < this.#maxVus) v = this.#newVu();
      if (v === undefined) {
        this.#run.stats.dropped(this.#run.script.nextFlow().name);
        continue;
      }
      ctx.recorder.sent(performance.now() - intended);
      const vu = v;
      void this.#iterate(vu, intended).then(() => {
        this.#idle.push(vu);
        this.#checkDrained();
      });
    }
    if (this.#next < s.total && !this.#finishing && !this.#exhausted) this.#timer.arm(ctx.startPerf + s.at(this.#next) - performance.now());
    this.#checkDrained();
  };

  finish(): void {
    this.#finishing = true;
    this.#timer.cancel();
    if (this.#ctx.unit.model === 'open') this.#next = this.#ctx.unit.schedule!.total;
    for (const v of this.#vus) if (!v.busy) v.end(false); // sleeping VUs stop now; requests in flight finish
    for (const v of this.#vus) v.ended = true;
    // Idle VUs go back to the pool now, for a phase that starts while this one drains.
    for (const v of this.#idle) {
      this.#vus.splice(this.#vus.indexOf(v), 1);
      this.#run.pool.give(v);
    }
    this.#idle.length = 0;
    this.#checkDrained();
  }

  abort(): void {
    this.#finishing = true;
    for (const v of this.#vus) v.end(true);
    this.#end();
  }

  #checkDrained(): void {
    if (!this.#finishing || this.#ended) return;
    if (this.#running > 0) return;
    this.#end();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timer.cancel();
    clearInterval(this.#sweep);
    // Given back so that the most recently used come out of the pool first.
    const idle = new Set(this.#idle);
    for (const v of this.#vus) if (!idle.has(v)) this.#run.pool.give(v);
    for (const v of this.#idle) this.#run.pool.give(v);
    this.#resolve();
  }
}
