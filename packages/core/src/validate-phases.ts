/**
 * Validation of `phases`: closed, open (constant, ramp, steps) and closed-step phases, the
 * breakpoint rule `stopWhen` and the arrival spacing. Part of validateScenario.
 */
import { Checker, join } from './checker.ts';
import { MAX_STEPS, MIN_STEP_MS, timerDuration } from './validate-limits.ts';
import type { Arrivals, Phase, StopWhen } from './scenario.ts';

/** Defaults of the phase fields; the README documents each. */
export const PHASE_DEFAULTS = {
  openConnections: 64,
  stopWhen: { slo: true, after: 2 },
  arrivals: 'even',
  seed: 1,
} as const;

const PHASE_KEYS = ['name', 'duration', 'connections', 'thinkTime', 'rate', 'stepDuration', 'warmup', 'stopWhen', 'arrivals', 'maxVus'];
const STOP_WHEN_HINT = "write stopWhen: 'slo' or { slo: true, after: 2 } (after: consecutive failing steps, a whole number >= 1)";

/** What the phases need from the rest of the scenario. */
export interface PhaseContext {
  /** Scenario-wide arrivals and seed. */
  arrivals: Arrivals;
  /** Whether the scenario sets an SLO a step can be judged by (p99 or errorRate). */
  hasSlo: boolean;
}

/** Validates `phases`, recording every problem in `c`. */
export function checkPhases(c: Checker, raw: unknown, ctx: PhaseContext): Phase[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    c.add(
      'phases',
      raw === undefined ? 'is required' : 'expected a non-empty array',
      "e.g. [{ name: 'steady', duration: '30s', rate: 1000 }]",
    );
    return [];
  }
  const out: Phase[] = [];
  const names = new Set<string>();
  raw.forEach((r, i) => {
    const p = `phases[${i}]`;
    const o = c.object(r, p);
    if (!o) return;
    c.known(o, p, PHASE_KEYS);
    const name = c.string(o['name'], join(p, 'name'));
    if (name !== undefined) {
      if (!/^[A-Za-z][\w-]*$/.test(name))
        c.add(join(p, 'name'), `"${name}" must start with a letter and hold only letters, digits, _ and -`);
      if (names.has(name)) c.add(join(p, 'name'), `"${name}" is used by an earlier phase`, 'phase names must be unique');
      names.add(name);
    }
    const warmup = c.boolean(o['warmup'], join(p, 'warmup')) ?? name === 'warmup';
    const arrivals = checkArrivals(c, o['arrivals'], join(p, 'arrivals'), ctx.arrivals);
    const phase = checkModel(c, o, p, arrivals);
    const stopWhen = o['stopWhen'] === undefined ? null : checkStopWhen(c, o['stopWhen'], join(p, 'stopWhen'));
    if (stopWhen !== null && phase !== undefined) {
      if (phase.model !== 'steps' && phase.model !== 'closed-steps')
        c.add(
          join(p, 'stopWhen'),
          'only step phases stop early',
          'use rate: { from, to, step } or connections: { from, to, step } with stepDuration',
        );
      else if (i !== raw.length - 1)
        c.add(
          join(p, 'stopWhen'),
          'a breakpoint search must be the last phase: the steps it skips would leave a gap before the next one',
          'move this phase to the end',
        );
      else if (stopWhen.slo && !ctx.hasSlo && phase.model === 'closed-steps')
        c.add(
          join(p, 'stopWhen'),
          'closed-model steps have no offered rate to miss, so they can only stop on the SLO, and the scenario sets none',
          "set slo: { p99: '50ms' } or slo.errorRate",
        );
      else if (!stopWhen.slo && phase.model === 'closed-steps')
        c.add(
          join(p, 'stopWhen.slo'),
          'closed-model steps have no offered rate to miss: with slo: false nothing can stop them',
          'set slo: true',
        );
      else if (stopWhen.slo && !ctx.hasSlo)
        c.add(
          join(p, 'stopWhen'),
          "stopWhen 'slo' needs an SLO to judge steps by",
          "set slo: { p99: '50ms' } (and/or errorRate), or stopWhen: { slo: false } to stop on the offered rate only",
        );
    }
    const maxVus = checkMaxVus(c, o['maxVus'], join(p, 'maxVus'), phase);
    if (phase && name !== undefined) {
      const withStop = phase.model === 'steps' || phase.model === 'closed-steps' ? { ...phase, stopWhen } : phase;
      out.push({ ...withStop, name, warmup, ...(maxVus === undefined ? {} : { maxVus }) } as Phase);
    }
  });
  return out;
}

/** `'even' | 'poisson'` into Arrivals with the scenario's seed. */
export function checkArrivals(c: Checker, raw: unknown, path: string, fallback: Arrivals): Arrivals {
  if (raw === undefined) return fallback;
  if (raw !== 'even' && raw !== 'poisson') {
    c.add(path, `unknown arrivals ${JSON.stringify(raw)}`, "use 'even' (evenly spaced, the default) or 'poisson' (random, seeded by seed)");
    return fallback;
  }
  return { kind: raw, seed: fallback.seed };
}

function checkStopWhen(c: Checker, raw: unknown, path: string): StopWhen | null {
  if (raw === 'slo') return { ...PHASE_DEFAULTS.stopWhen };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    c.add(path, `expected 'slo' or an object, got ${JSON.stringify(raw)}`, STOP_WHEN_HINT);
    return null;
  }
  const o = raw as Record<string, unknown>;
  c.known(o, path, ['slo', 'after']);
  const slo = c.boolean(o['slo'], join(path, 'slo')) ?? PHASE_DEFAULTS.stopWhen.slo;
  const after =
    o['after'] === undefined ? PHASE_DEFAULTS.stopWhen.after : c.number(o['after'], join(path, 'after'), { integer: true, min: 1 });
  return after === undefined ? null : { slo, after };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type PhaseShape = DistributiveOmit<Phase, 'name' | 'warmup'>;

function checkModel(c: Checker, o: Record<string, unknown>, p: string, arrivals: Arrivals): PhaseShape | undefined {
  const rate = o['rate'];
  const connsRaw = o['connections'];
  const stepped = typeof connsRaw === 'object' && connsRaw !== null;
  if (stepped && rate !== undefined) {
    c.add(
      join(p, 'connections'),
      'connection steps are for closed phases',
      'drop rate, or give connections a single number (the pool size)',
    );
    return undefined;
  }
  if (stepped) return checkClosedSteps(c, o, p);
  const conns = connsRaw === undefined ? undefined : c.count(connsRaw, join(p, 'connections'), { integer: true, min: 1 });
  if (rate === undefined) {
    if (connsRaw === undefined)
      return c.add(p, 'needs connections (closed model) or rate (open model)', 'e.g. { connections: 8 } or { rate: 1000 }');
    if (o['stepDuration'] !== undefined)
      c.add(join(p, 'stepDuration'), 'only step phases (rate or connections: {from, to, step}) take stepDuration');
    if (o['arrivals'] !== undefined) c.add(join(p, 'arrivals'), 'arrivals are for open phases (rate)');
    const durationMs = timerDuration(c, o['duration'], join(p, 'duration'));
    const thinkTimeMs = o['thinkTime'] === undefined ? 0 : timerDuration(c, o['thinkTime'], join(p, 'thinkTime'));
    if (conns === undefined || durationMs === undefined || thinkTimeMs === undefined) return undefined;
    return { model: 'closed', connections: conns, durationMs, thinkTimeMs };
  }
  if (o['thinkTime'] !== undefined)
    c.add(join(p, 'thinkTime'), 'thinkTime is for closed phases', 'drop it, or use connections instead of rate');
  const connections = conns ?? PHASE_DEFAULTS.openConnections;
  if (typeof rate === 'object' && rate !== null && !Array.isArray(rate)) {
    const ro = rate as Record<string, unknown>;
    const rp = join(p, 'rate');
    c.known(ro, rp, ['from', 'to', 'step']);
    const from = c.count(ro['from'], join(rp, 'from'), { min: 0 });
    const to = c.count(ro['to'], join(rp, 'to'), { min: 0 });
    if (ro['step'] === undefined) {
      const durationMs = timerDuration(c, o['duration'], join(p, 'duration'));
      if (o['stepDuration'] !== undefined) c.add(join(p, 'stepDuration'), 'a ramp has no steps', 'add rate.step for a step load');
      if (arrivals.kind === 'poisson')
        c.add(
          o['arrivals'] === undefined ? p : join(p, 'arrivals'),
          'Poisson arrivals are for constant-rate and step phases, not ramps',
          "set arrivals: 'even' on this phase",
        );
      if (from === undefined || to === undefined || durationMs === undefined) return undefined;
      return { model: 'ramp', from, to, durationMs, connections };
    }
    const step = c.count(ro['step'], join(rp, 'step'), { exclusiveMin: 0 });
    const stepDurationMs = timerDuration(c, o['stepDuration'], join(p, 'stepDuration'), MIN_STEP_MS);
    if (o['duration'] !== undefined)
      c.add(join(p, 'duration'), 'a step phase lasts steps × stepDuration', 'drop duration, set stepDuration');
    if (from === undefined || to === undefined || step === undefined || stepDurationMs === undefined) return undefined;
    if (from === 0 && to === 0) return c.add(rp, 'from and to are both 0');
    const steps = Math.floor(Math.abs(to - from) / step) + 1;
    if (steps > MAX_STEPS) return c.add(rp, `makes ${steps} steps, more than ${MAX_STEPS}`, 'use a larger step');
    return { model: 'steps', from, to, step, stepDurationMs, durationMs: steps * stepDurationMs, connections, stopWhen: null, arrivals };
  }
  const r = c.count(rate, join(p, 'rate'), { exclusiveMin: 0 });
  const durationMs = timerDuration(c, o['duration'], join(p, 'duration'));
  if (o['stepDuration'] !== undefined)
    c.add(join(p, 'stepDuration'), 'a constant rate has no steps', 'use rate: { from, to, step } for steps');
  if (r === undefined || durationMs === undefined) return undefined;
  return { model: 'constant', rate: r, durationMs, connections, arrivals };
}

/** `connections: { from, to, step }` or `[1, 2, 4, 8]` with stepDuration: one closed sub-phase per level. */
function checkClosedSteps(c: Checker, o: Record<string, unknown>, p: string): PhaseShape | undefined {
  const cp = join(p, 'connections');
  const raw = o['connections'];
  let levels: number[] | undefined;
  if (Array.isArray(raw)) {
    if (raw.length === 0) c.add(cp, 'expected at least one connection count', 'e.g. [1, 2, 4, 8, 16, 32]');
    const vals = raw.map((v, k) => c.count(v, `${cp}[${k}]`, { integer: true, min: 1 }));
    if (vals.every((v) => v !== undefined) && raw.length > 0) {
      levels = vals as number[];
      if (new Set(levels).size !== levels.length) {
        c.add(cp, 'a connection count appears twice', 'each step needs its own count (sub-phase names must be unique)');
        levels = undefined;
      }
    }
  } else {
    const ro = raw as Record<string, unknown>;
    c.known(ro, cp, ['from', 'to', 'step']);
    const from = c.count(ro['from'], join(cp, 'from'), { integer: true, min: 1 });
    const to = c.count(ro['to'], join(cp, 'to'), { integer: true, min: 1 });
    const step = c.count(ro['step'], join(cp, 'step'), { integer: true, min: 1 });
    if (from !== undefined && to !== undefined && step !== undefined && Math.floor(Math.abs(to - from) / step) + 1 > MAX_STEPS) {
      c.add(cp, `makes ${Math.floor(Math.abs(to - from) / step) + 1} steps, more than ${MAX_STEPS}`, 'use a larger step');
    } else if (from !== undefined && to !== undefined && step !== undefined) {
      levels = [];
      const dir = from <= to ? 1 : -1;
      for (let n = from; dir > 0 ? n <= to : n >= to; n += dir * step) levels.push(n);
    }
  }
  if (o['duration'] !== undefined) c.add(join(p, 'duration'), 'a step phase lasts steps × stepDuration', 'drop duration, set stepDuration');
  if (o['arrivals'] !== undefined) c.add(join(p, 'arrivals'), 'arrivals are for open phases (rate)');
  const stepDurationMs = timerDuration(c, o['stepDuration'], join(p, 'stepDuration'), MIN_STEP_MS);
  const thinkTimeMs = o['thinkTime'] === undefined ? 0 : timerDuration(c, o['thinkTime'], join(p, 'thinkTime'));
  if (levels === undefined || stepDurationMs === undefined || thinkTimeMs === undefined) return undefined;
  return {
    model: 'closed-steps',
    levels,
    stepDurationMs,
    thinkTimeMs,
    durationMs: levels.length * stepDurationMs,
    connections: Math.min(...levels),
    stopWhen: null,
  };
}

/** Open-model flows: the most VUs a phase may grow to (k6's maxVUs); at least its connections (preallocated VUs). */
function checkMaxVus(c: Checker, raw: unknown, path: string, phase: PhaseShape | undefined): number | undefined {
  if (raw === undefined || phase === undefined) return undefined;
  if (phase.model === 'closed' || phase.model === 'closed-steps')
    return c.add(path, 'maxVus is for open-model phases (rate)', 'closed phases run exactly `connections` VUs');
  const n = c.count(raw, path, { integer: true, min: 1 });
  if (n !== undefined && n < phase.connections)
    return c.add(
      path,
      `must be >= connections (${phase.connections}), the VUs allocated up front`,
      `set maxVus: ${phase.connections} or more`,
    );
  return n;
}
