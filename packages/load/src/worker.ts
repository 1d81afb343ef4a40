import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WorkerPlan, WorkerToRunner } from '@headroom/internal';
import { encodeRequest } from './encode-request.ts';
import { engineFor } from './engines.ts';
import type { UnitRun } from './engine.ts';
import { warmPreciseTimer } from './precise-timer.ts';
import { Bucket, LATE_BEYOND_RESOLUTION_MS, Recorder, warmUpRecorder } from './recorder.ts';
import { RequestMix } from './request-mix.ts';
import { timeline } from './timeline.ts';
import type { RunUnit } from './timeline.ts';
import { tlsTransport } from './tls-transport.ts';
import { TraceSampler } from './trace-context.ts';
import { addressOf } from './connection.ts';
import { ConnectionPool } from './connection-pool.ts';
import { FlowRunner } from './flows/flow-runner.ts';
import { loadScript } from './flows/script.ts';
import type { Script } from './flows/script.ts';
import { UnitStats } from './flows/unit-stats.ts';
import { VuPool } from './flows/vu-pool.ts';
import type { NameBucket, NameTable } from './name-table.ts';
import { namesFor, newParentExtras, parentExtras, unitExtras } from './unit-results.ts';
import type { ParentExtras } from './unit-results.ts';

/**
 * A fraction of sends later than twice the timer resolution (recorder.ts) above which the
 * generator warns that it could not keep its schedule. Sends late by 1–2 ms are still
 * counted (`lateSends`), but at a 1 ms timer resolution they are expected, not a limit.
 */
const LATE_WARN_FRACTION = 0.05;
/** Worker CPU (fraction of one core) above which a second counts as saturated. */
const CPU_SATURATED = 0.9;

/** Generator event-loop stall (ms) above which a phase's figures get a warning. */
const LOOP_STALL_WARN_MS = 20;
/**
 * The stall monitor's timer period (ms). Each period is a wake-up of an otherwise idle loop:
 * at 5 ms (200 a second) it was most of the worker's fixed cost at low rates on a KVM guest,
 * where a wake costs tens of µs of CPU (measured with bench/open-probe.ts at 10 req/s: 23.5 ms
 * of CPU a second at 5 ms, 16.5 at 20 ms). Node's monitor records the whole time between two
 * runs of its timer, the period included (an idle loop's minimum is ~20.1 ms at this period),
 * so the delay is that time less the period: a stall of S ms is seen as a delay between S − 20
 * and S, and the warning names it as "at least" that delay.
 */
const LOOP_MONITOR_RESOLUTION_MS = 20;

interface Active {
  unit: RunUnit;
  recorder: Recorder;
  run: UnitRun;
  lastSecond: number;
  offeredSoFar: number;
  closed: boolean;
  loopMaxMs: number;
  names: NameTable;
  byIndex: NameBucket[] | null;
  stats: UnitStats | null;
  /** Ends the unit's sending (at its end time); once only. */
  finish(): void;
  /** Stopped by an early phase end while sending (its requests in flight dropped); it reports once the steps before it have. */
  cut?: boolean;
}

/** A running worker: `stop` ends it early; `done` resolves after the `done` message was sent. */
export interface WorkerHandle {
  stop(reason: string): void;
  /** Ends one phase early (see RunnerToWorker 'end-phase'). */
  endPhase(phase: string): void;
  readonly done: Promise<void>;
}

/**
 * Runs a plan: waits for plan.startAt, drives each phase (and step) at its scheduled
 * time with the plan's engine, and reports through `send`: a tick per second per
 * phase, a phase-end per phase and step (and one for a whole step phase), trace
 * batches, warnings, then `done`.
 *
 * Attribution: a request belongs to the phase in which it was sent and to the second in
 * which it completed; requests still in flight when their phase ends complete into that
 * phase's last second, so each phase has exactly one tick per second it spans.
 */
export function runWorker(plan: WorkerPlan, send: (m: WorkerToRunner) => void): WorkerHandle {
  const worker = plan.index;
  const requests = plan.requests.map((r) => encodeRequest(plan.target, r));
  const mix = new RequestMix(plan.requests);
  const traces = new TraceSampler(plan.traceSample);
  const units = timeline(plan.phases, plan.stripe.index, plan.stripe.count);
  const engine = engineFor(plan.engine);
  const tls = tlsTransport(plan.tls);
  const base = plan.startAt - performance.timeOrigin; // performance.now() of the run's second 0
  const active = new Set<Active>();
  const parents = new Map<string, { total: Bucket; startedAt: number; rates: (number | null)[]; extras: ParentExtras }>();
  const scripted = plan.script !== undefined && plan.script !== null;
  const names = new Set(plan.requests.map((r) => r.name));
  const singleName = !scripted && names.size === 1 ? (plan.requests[0]?.name ?? null) : null;
  // Functions cannot cross IPC: the scripted engine imports the scenario file here, while the run's start is still ahead.
  let script: Script | null = null;
  const scriptLoad = plan.script
    ? loadScript(plan.script, plan.requests, plan.stripe.index, plan.stripe.count).then((s) => (script = s))
    : null;
  // The scripted engine's VUs live across phases; the first phase's open their connections while the start is ahead.
  // Where the headroom engine's connections go (the autocannon engine makes its own).
  const address = plan.script || plan.engine === 'headroom' ? addressOf(plan.target, tls) : null;
  const pool = plan.script ? new VuPool(address!, { worker: plan.stripe.index, workers: plan.stripe.count, seed: plan.script.seed }) : null;
  // The static headroom engine's connections live across phases and steps too (connection-pool.ts).
  const maxConnections = Math.max(0, ...units.map((u) => u.connections));
  const connections = !plan.script && plan.engine === 'headroom' ? new ConnectionPool(address!, maxConnections) : null;

  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  // The generator watches its own event loop: a stall (descheduled by other load, a long
  // GC) delays sends and the reading of responses, and the user must know.
  const loop = monitorEventLoopDelay({ resolution: LOOP_MONITOR_RESOLUTION_MS });
  loop.enable();
  const loopMaxMs = (): number => {
    const v = Math.max(0, loop.max / 1e6 - LOOP_MONITOR_RESOLUTION_MS);
    loop.reset();
    return v;
  };
  let cpuPrev = process.cpuUsage();
  let wallPrev = performance.now();
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const warned = new Set<string>();
  /** Sends a warning once per `key` (default: the message itself). */
  const warn = (message: string, key: string = message): void => {
    if (warned.has(key)) return;
    warned.add(key);
    send({ type: 'warning', worker, message });
  };
  const at = (relMs: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(
      () => {
        timers.delete(t);
        if (!stopped) fn();
      },
      Math.max(0, base + relMs - performance.now()),
    );
    timers.add(t);
    return t;
  };
  /** Units not yet started, with the timer that starts each; a phase ended early (endPhase) takes its own out. */
  const starts = new Map<RunUnit, NodeJS.Timeout>();
  /** Phases ended early by the runner: their parent reports once its last active step has ended. */
  const endedEarly = new Set<string>();

  /** This process's CPU (fraction of one core) since the current second began; `reset` starts the next one. */
  const cpuSince = (reset = true): number => {
    const now = performance.now();
    const c = process.cpuUsage(cpuPrev);
    const frac = now > wallPrev ? (c.user + c.system) / 1000 / (now - wallPrev) : 0;
    if (reset) {
      cpuPrev = process.cpuUsage();
      wallPrev = now;
    }
    return Math.min(1, frac);
  };
  /**
   * The CPU of the last whole seconds, by second. A unit that ends on a second boundary ticks its
   * last second after that boundary's onSecond measured it: it takes that figure. Measuring
   * afresh there read the few ms between the boundary and the unit's drain, busy with the step
   * change, as the whole second: every step of a stepped phase ended "at 98-100% of a core",
   * with a false saturation warning and a spike in series.gen_cpu.
   */
  const cpuBySecond = new Map<number, number>();

  const tick = (a: Active, second: number, cpu: number): void => {
    const s = a.unit.schedule;
    if (s !== null) {
      const upTo = s.before(Math.min(a.unit.durationMs, (second + 1) * 1000 - a.unit.startMs));
      a.recorder.second.offered = upTo - a.offeredSoFar;
      a.offeredSoFar = upTo;
    }
    const { wakeDelayUs, ...c } = a.recorder.closeSecond();
    const msg: WorkerToRunner = { type: 'tick', worker, second, phase: a.unit.name, cpu, ...c };
    // wakeDelayUs (µs, when the second had precise-timer wakes) is not in core's WorkerTick
    // yet: it travels as an extra field until the protocol declares it.
    send(wakeDelayUs === null ? msg : Object.assign(msg, { wakeDelayUs }));
    if (cpu > CPU_SATURATED && plan.idle !== 'poll')
      warn(
        `generator CPU saturated in phase ${a.unit.parent} (worker ${worker} at ${Math.round(cpu * 100)}% of a core): measured limits may be the generator's, add workers or CPUs`,
        `cpu:${a.unit.parent}`,
      );
  };

  const endUnit = (a: Active, endedAt: number): void => {
    if (a.closed) return;
    a.closed = true;
    active.delete(a);
    const stallMs = Math.max(a.loopMaxMs, loopMaxMs());
    if (stallMs > LOOP_STALL_WARN_MS) {
      warn(
        `generator event loop stalled for at least ${stallMs.toFixed(0)}ms in ${a.unit.name} (worker ${worker}; descheduled by other load on its CPUs, or a long GC): sends and response reads were delayed by as much, and latency figures include it`,
      );
    }
    const lastSecond = Math.floor((a.unit.startMs + a.unit.durationMs - 1e-6) / 1000);
    const nowSecond = Math.floor((performance.now() - base) / 1000);
    const second = Math.max(a.lastSecond, Math.min(nowSecond, lastSecond));
    tick(a, second, cpuBySecond.get(second) ?? cpuSince(false));
    const t = a.recorder.total;
    const u = a.unit;
    const parentAcc = u.name !== u.parent ? parents.get(u.parent)?.extras : undefined;
    const extras = unitExtras(t, a.names, a.byIndex, singleName, a.stats, parentAcc);
    send({
      ...extras,
      type: 'phase-end',
      worker,
      phase: u.name,
      parent: u.parent,
      offeredRate: u.offeredRate,
      startedAt: plan.startAt + u.startMs,
      endedAt,
      ...t.counts(),
      ...t.encoded(),
    });
    if (u.model === 'open') {
      // A step cut short completes fewer than it sent. With flows only an iteration's first request is an
      // arrival on the schedule (the rest follow its responses): late shares are of arrivals.
      const sends = scripted ? Math.max(1, t.offered) : Math.max(1, t.requests, t.offered);
      if (t.lateBeyondResolution / sends > LATE_WARN_FRACTION) {
        warn(
          `generator could not keep schedule in ${u.name}: ${((100 * t.lateBeyondResolution) / sends).toFixed(1)}% of ${scripted ? 'iterations started' : 'sends'} late by >${LATE_BEYOND_RESOLUTION_MS}ms, ${((100 * t.lateSends) / sends).toFixed(1)}% by >1ms (max lag ${(t.maxLagUs / 1000).toFixed(1)}ms)`,
        );
      }
    }
    if (u.name !== u.parent) {
      const p = parents.get(u.parent);
      if (p === undefined) return;
      t.addTo(p.total);
      // On stop, two steps can still be active (one draining, one sending): stop() closes the parent after both.
      const lastOfEnded = endedEarly.has(u.parent) && ![...active].some((x) => x.unit.parent === u.parent);
      if ((u.closesParent || lastOfEnded) && !stopped) closeParent(u.parent, endedAt);
    }
  };

  /** Cut units report in timeline order: each once no earlier unit of its phase is still draining. */
  const endCutUnits = (): void => {
    const now = Date.now();
    for (const a of [...active].sort((x, y) => x.unit.startMs - y.unit.startMs)) {
      if (!a.cut) continue;
      if ([...active].some((x) => !x.cut && x.unit.parent === a.unit.parent && x.unit.startMs < a.unit.startMs)) return;
      endUnit(a, now);
    }
  };

  /** Reports a step phase's whole-phase summary (once its last step, or the last left after an early end, has ended). */
  const closeParent = (name: string, endedAt: number): void => {
    const p = parents.get(name);
    if (p === undefined) return;
    parents.delete(name);
    send({
      ...parentExtras(p.extras),
      type: 'phase-end',
      worker,
      phase: name,
      parent: name,
      offeredRate: meanRate(p.rates),
      startedAt: p.startedAt,
      endedAt,
      ...p.total.counts(),
      ...p.total.encoded(),
    });
  };

  const startUnit = (u: RunUnit): void => {
    const recorder = new Recorder();
    if (u.name !== u.parent) {
      const p = parents.get(u.parent) ?? {
        total: new Bucket(),
        startedAt: plan.startAt + u.startMs,
        rates: [],
        extras: newParentExtras(scripted),
      };
      p.rates.push(u.offeredRate);
      parents.set(u.parent, p);
    }
    const { names: table, byIndex } = namesFor(u.name, plan.requests, scripted);
    const ctx = {
      unit: u,
      recorder,
      target: plan.target,
      tls,
      requests,
      pool: connections,
      mix,
      traces,
      timeoutMs: plan.timeoutMs,
      startPerf: base + u.startMs,
      poll: plan.idle === 'poll',
      warn,
      names: table,
      byIndex,
    };
    const stats = script === null ? null : new UnitStats();
    const run = script !== null && stats !== null && plan.script ? new FlowRunner(ctx, { script, stats, pool: pool! }) : engine(ctx);
    const a: Active = {
      unit: u,
      recorder,
      run,
      lastSecond: Math.floor(u.startMs / 1000),
      offeredSoFar: 0,
      closed: false,
      loopMaxMs: 0,
      names: table,
      byIndex,
      stats,
      finish: () => {
        a.finish = () => {};
        run.finish();
        void run.drained.then(() => {
          if (!stopped) {
            endUnit(a, Date.now());
            endCutUnits();
            maybeDone();
          }
        });
      },
    };
    active.add(a);
    at(u.startMs + u.durationMs, () => a.finish());
  };

  // Second boundaries: every phase running across boundary T ticks the second that just ended.
  const runEndMs = units.reduce((m, u) => Math.max(m, u.startMs + u.durationMs), 0);
  const onSecond = (T: number): void => {
    const cpu = cpuSince();
    cpuBySecond.set(T / 1000 - 1, cpu);
    cpuBySecond.delete(T / 1000 - 4);
    const stall = loopMaxMs();
    for (const a of active) {
      a.loopMaxMs = Math.max(a.loopMaxMs, stall);
      if (a.unit.startMs < T && a.unit.startMs + a.unit.durationMs > T) {
        tick(a, T / 1000 - 1, cpu);
        a.lastSecond = T / 1000;
      }
    }
    flushTraces();
    if (T + 1000 < runEndMs) at(T + 1000, () => onSecond(T + 1000));
  };

  const flushTraces = (): void => {
    const samples = traces.drain();
    if (samples.length > 0) send({ type: 'traces', worker, samples });
  };

  let scheduledAll = false;
  const maybeDone = (): void => {
    if (!scheduledAll || active.size > 0 || stopped) return;
    finishRun();
  };
  let finished = false;
  const finishRun = (): void => {
    if (finished) return;
    finished = true;
    polling = false;
    loop.disable();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    pool?.close();
    connections?.close();
    flushTraces();
    send({ type: 'done', worker });
    resolveDone();
  };

  // workers.idle 'poll': an immediate that re-arms itself keeps the loop turning (each turn polls
  // the sockets without blocking), so the CPU never idles and no response waits for it to wake.
  let polling = false;
  const turn = (): void => {
    if (polling && !stopped) setImmediate(turn);
  };
  if (plan.idle === 'poll')
    at(0, () => {
      polling = true;
      turn();
    });
  else if (units.some((u) => u.model === 'open') && plan.engine === 'headroom') warmPreciseTimer();
  warmUpRecorder();
  const lateStart = performance.now() - base;
  if (lateStart > 1) {
    warn(
      `worker ${worker} got its plan ${Math.round(lateStart)}ms after the run's start time: its first arrivals left late and count that delay as latency; the machine was too busy to start its workers in time (fewer workers.count, or a later --start-at, gives them longer)`,
    );
  }
  at(0, () => {
    cpuPrev = process.cpuUsage();
    wallPrev = performance.now();
    loop.reset();
  }); // ticks measure the run, not the wait for it
  // Connections for the VUs the phases start with, opened while the start is ahead (vu-pool.ts).
  if (pool !== null && units.length > 0) pool.prepare(maxConnections);
  if (connections !== null && units.length > 0) connections.prepare(units[0]!.connections);
  for (const u of units)
    starts.set(
      u,
      at(u.startMs, () => {
        starts.delete(u);
        // The unit that ends where this one starts finishes first (timers due at one time fire in no set
        // order): with flows, its idle VUs go back to the pool for this one instead of new ones opening.
        for (const a of active) if (a.unit.startMs + a.unit.durationMs <= u.startMs) a.finish();
        if (scriptLoad === null || script !== null) startUnit(u);
        else void scriptLoad.then(() => !stopped && !endedEarly.has(u.parent) && startUnit(u)); // late: its first arrivals count the delay
      }),
    );
  if (runEndMs > 1000) at(1000, () => onSecond(1000));
  at(runEndMs, () => {
    scheduledAll = true;
    maybeDone();
  });

  return {
    done,
    stop(_reason: string): void {
      if (stopped) return;
      stopped = true;
      const endedAt = Date.now();
      for (const a of [...active]) {
        a.run.abort();
        endUnit(a, endedAt);
      }
      // A step phase stopped between two steps still reports its whole-phase summary.
      for (const name of [...parents.keys()]) closeParent(name, endedAt);
      finishRun();
    },
    endPhase(phase: string): void {
      if (stopped || endedEarly.has(phase)) return;
      endedEarly.add(phase);
      for (const [u, t] of starts) {
        if (u.parent !== phase) continue;
        clearTimeout(t);
        timers.delete(t);
        starts.delete(u);
      }
      // Steps still within their sending time stop now (cut short); a step already draining ends as it would have.
      const rel = performance.now() - base;
      for (const a of [...active]) {
        if (a.unit.parent !== phase || a.unit.startMs + a.unit.durationMs <= rel) continue;
        a.finish = () => {}; // its end-of-sending timer must not restart what was aborted
        a.cut = true;
        a.run.abort();
      }
      endCutUnits();
      if (![...active].some((a) => a.unit.parent === phase)) closeParent(phase, Date.now());
      if (starts.size === 0) {
        scheduledAll = true;
        maybeDone();
      }
    },
  };
}

/** A step phase's offered rate: its steps' mean, or null for closed steps (connections, no rate). */
function meanRate(rates: readonly (number | null)[]): number | null {
  if (rates.length === 0 || rates.some((r) => r === null)) return null;
  return (rates as number[]).reduce((x, y) => x + y, 0) / rates.length;
}
