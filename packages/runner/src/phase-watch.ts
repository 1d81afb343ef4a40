/**
 * What the runner learns about each phase besides the generator's counts: the service's CPU
 * over the phase (from its /proc tree), whether the generator itself was the bottleneck, the
 * service's queue, and for a breakpoint search whether to stop after each step.
 */
import { breakpointDecision, type CapacityStep } from '@headroom/analysis';
import { subPhases, type Scenario, type StopWhen } from '@headroom/core';
import type { PhaseResult, SecondSample } from './aggregate.ts';
import { liveFailure, type LiveFailure } from './breakpoint-live.ts';
import { capacityOptionsOf, stepOfResult } from './capacity-steps.ts';
import { stealBetween, stealWarning, type StealReading, type StealSample } from './host-steal.ts';
import type { ProcTreeReading } from './proc-tree.ts';

/** A send later than the timer resolution on more than this share of sends: the generator fell behind by itself. */
const GEN_LATE_SHARE = 0.05;
/** Mean generator CPU (busiest worker, share of a core) above which a phase was generator-bound. */
const GEN_CPU_LIMIT = 0.9;
/** Share of arrivals that waited for a free connection above which the user hears about the service's queue. */
const QUEUE_WARN_SHARE = 0.05;

/** Options of {@link PhaseWatch}. */
export interface PhaseWatchOptions {
  scenario: Scenario;
  /** Reads the service's process tree now; absent without a service. */
  readTree?: () => ProcTreeReading | null;
  /** The latest reading the per-second sampler took (no read of its own), for provisional results; absent without a service. */
  latestTree?: () => ProcTreeReading | null;
  /** Whether a step is within its sending time now (a stop cuts those short; the rest drain). @default none is */
  sending?: (name: string) => boolean;
  /** Reads the host's steal on the service's and generator's CPUs now (host-steal.ts); absent where not measured. */
  readSteal?: () => StealReading | null;
  /** The steal sampler's latest reading (no read of its own), for provisional results. */
  latestSteal?: () => StealReading | null;
}

/** The counters a phase is charged between: the service's process tree and the host's steal, each null where not read. */
interface Mark {
  tree: ProcTreeReading | null;
  steal: StealReading | null;
}

/** The breakpoint search decided to stop: why, the steps still sending (cut short) and those never run. */
export interface BreakpointStop {
  phase: string;
  after: string;
  reason: string;
  cutShort: string[];
  notRun: string[];
}

/** The step phase a breakpoint search runs on. */
interface BreakpointPhase {
  phase: string;
  /** Its steps, in order. */
  order: string[];
  stepMs: number;
  stopWhen: StopWhen;
}

export class PhaseWatch {
  readonly #scenario: Scenario;
  readonly #readTree: (() => ProcTreeReading | null) | undefined;
  readonly #latestTree: (() => ProcTreeReading | null) | undefined;
  readonly #cpuCount: number;
  /** The counters at each phase's (and step phase's) start. */
  readonly #marks = new Map<string, Mark>();
  readonly #readSteal: (() => StealReading | null) | undefined;
  readonly #latestSteal: (() => StealReading | null) | undefined;
  /** Each second's steal (the larger side's share), by the run's second. */
  readonly #stealOf = new Map<number, number | null>();
  /** Per phase (and step phase), its seconds and their p99, for the steal warning. */
  readonly #secondsOf = new Map<string, { second: number; p99Ms: number | null }[]>();
  readonly #started = new Set<string>();
  /** Phases and steps in the order they started (parents are not listed). */
  readonly #order: string[] = [];
  readonly #genCpu = new Map<string, { sum: number; n: number }>();
  readonly #parentOf = new Map<string, string>();
  readonly #stepParents = new Set<string>();
  /** Steps of the breakpoint phase whose results are in, by name and in the order they came. */
  readonly #judged = new Map<string, CapacityStep>();
  /** Steps of the breakpoint phase that certainly failed while still running (breakpoint-live.ts). */
  readonly #live = new Map<string, LiveFailure>();
  readonly #sending: (name: string) => boolean;
  readonly #breakpoint: BreakpointPhase | null;
  #stopped: BreakpointStop | null = null;

  constructor(options: PhaseWatchOptions) {
    this.#scenario = options.scenario;
    this.#readTree = options.readTree;
    this.#latestTree = options.latestTree;
    this.#sending = options.sending ?? (() => false);
    this.#readSteal = options.readSteal;
    this.#latestSteal = options.latestSteal;
    this.#cpuCount = options.scenario.service?.cpus.length ?? 1;
    let bp: BreakpointPhase | null = null;
    for (const p of options.scenario.phases) {
      const subs = subPhases(p);
      for (const s of subs) this.#parentOf.set(s.name, p.name);
      if (subs.length > 0) this.#stepParents.add(p.name);
      if ((p.model === 'steps' || p.model === 'closed-steps') && p.stopWhen)
        bp = { phase: p.name, order: subs.map((s) => s.name), stepMs: p.stepDurationMs, stopWhen: p.stopWhen };
    }
    this.#breakpoint = bp;
  }

  /** The breakpoint stop, once decided. */
  get stopped(): BreakpointStop | null {
    return this.#stopped;
  }

  /** Whether the stop ended `phase` early: a step that was still sending, or the step phase whose steps were cut or skipped. */
  cutShort(phase: string): boolean {
    const s = this.#stopped;
    return s !== null && (s.cutShort.includes(phase) || (phase === s.phase && s.cutShort.length + s.notRun.length > 0));
  }

  /** A phase or step starts now: remember the service's CPU and the host's steal counters (and the parent's at its first step). */
  onPhaseStart(name: string): void {
    this.#started.add(name);
    this.#order.push(name);
    const mark = this.#readMark();
    this.#marks.set(name, mark);
    const parent = this.#parentOf.get(name);
    if (parent !== undefined && !this.#marks.has(parent)) this.#marks.set(parent, mark);
  }

  /** The counters now. */
  #readMark(): Mark {
    return { tree: this.#readTree?.() ?? null, steal: this.#readSteal?.() ?? null };
  }

  /** One second's steal from the sampler (host-steal.ts). */
  onSteal(s: StealSample): void {
    const sides = [s.generator, s.service].filter((v): v is number => v !== null);
    this.#stealOf.set(s.second, sides.length === 0 ? null : Math.max(...sides));
  }

  /** A merged second: its generator CPU counts for its phase and that phase's parent. */
  onSecond(s: SecondSample): void {
    for (const name of [s.phase, this.#parentOf.get(s.phase)]) {
      if (name === undefined) continue;
      const seconds = this.#secondsOf.get(name) ?? [];
      seconds.push({ second: s.second, p99Ms: s.latency.count > 0 ? s.latency.p99Ms : null });
      this.#secondsOf.set(name, seconds);
      const g = this.#genCpu.get(name) ?? { sum: 0, n: 0 };
      g.sum += s.genCpu;
      g.n++;
      this.#genCpu.set(name, g);
    }
  }

  /** Adds the service's CPU and the generator verdict to a merged phase; returns warnings about it. */
  enrich(r: PhaseResult): string[] {
    const warnings: string[] = [];
    const start = this.#marks.get(r.phase);
    // CPU is charged from a phase's start to the next one's (a result arrives only after its
    // requests drained, by when the next step may be running), or to now when none followed.
    const last =
      r.phase === r.parent && this.#stepParents.has(r.phase)
        ? this.#order.findLastIndex((n) => this.#parentOf.get(n) === r.phase)
        : this.#order.indexOf(r.phase);
    const next = last >= 0 ? this.#order[last + 1] : undefined;
    const end = start ? ((next !== undefined ? this.#marks.get(next) : undefined) ?? this.#readMark()) : null;
    this.#charge(r, start, end);
    // Said once per phase of the scenario (a step phase's steps are in its figure), and not of a warm-up.
    const measured = r.phase === r.parent && !this.#scenario.phases.some((p) => p.name === r.phase && p.warmup);
    const seconds = (this.#secondsOf.get(r.phase) ?? []).map((x) => ({ steal: this.#stealOf.get(x.second) ?? null, p99Ms: x.p99Ms }));
    const stolen = r.hostSteal && measured && !r.partial ? stealWarning(r.phase, r.hostSteal, seconds) : null;
    if (stolen !== null) warnings.push(stolen);
    r.generator = this.#generatorVerdict(r);
    const leaf = !this.#stepParents.has(r.phase);
    const queued = r.counts.queuedSends / Math.max(1, r.counts.requests, r.counts.offered);
    if (leaf && r.offeredRate !== null && queued > QUEUE_WARN_SHARE) {
      warnings.push(
        `${r.phase}: ${(100 * queued).toFixed(1)}% of arrivals found every connection busy on the service and waited for one (up to ${(r.counts.maxQueueUs / 1000).toFixed(1)}ms): that is the service's queue, counted in latency, not the generator falling behind`,
      );
    }
    return warnings;
  }

  /**
   * The same figures for a provisional result of a phase still running (phase-progress.ts):
   * the service's CPU from the phase's start to the sampler's latest reading, no warnings.
   */
  enrichProvisional(r: PhaseResult): void {
    const start = this.#marks.get(r.phase);
    const now = start ? { tree: this.#latestTree?.() ?? null, steal: this.#latestSteal?.() ?? null } : null;
    this.#charge(r, start, now);
    r.generator = this.#generatorVerdict(r);
  }

  /** The service's CPU and the host's steal between two marks (null where either lacks the reading). */
  #charge(r: PhaseResult, start: Mark | undefined, end: Mark | null): void {
    r.serviceCpu = start?.tree && end?.tree ? this.#cpuBetween(start.tree, end.tree, r.counts.requests) : null;
    r.hostSteal = start?.steal && end?.steal ? stealBetween(start.steal, end.steal) : null;
  }

  #cpuBetween(start: ProcTreeReading, now: ProcTreeReading, requests: number): NonNullable<PhaseResult['serviceCpu']> {
    const seconds = Math.max(0, now.cpuSeconds - start.cpuSeconds);
    const wallS = (now.atMs - start.atMs) / 1000;
    return {
      seconds,
      util: wallS > 0 ? seconds / wallS / this.#cpuCount : 0,
      perRequestUs: requests > 0 ? (seconds * 1e6) / requests : null,
    };
  }

  #generatorVerdict(r: PhaseResult): NonNullable<PhaseResult['generator']> {
    const g = this.#genCpu.get(r.phase);
    const cpu = g && g.n > 0 ? g.sum / g.n : null;
    // Sends are arrivals: a flow iteration's first request (the rest follow its responses, on no schedule).
    const sends = this.#scenario.flows.length > 0 ? Math.max(1, r.counts.offered) : Math.max(1, r.counts.requests, r.counts.offered);
    const lateShare = r.counts.lateBeyondResolution / sends;
    // A polling generator uses its whole core by design: only its lateness can say it fell behind.
    const polling = this.#scenario.workers.idle === 'poll';
    const reason =
      cpu !== null && cpu > GEN_CPU_LIMIT && !polling
        ? `generator CPU at ${Math.round(cpu * 100)}% of a core`
        : r.offeredRate !== null && lateShare > GEN_LATE_SHARE
          ? `the generator itself sent ${(100 * lateShare).toFixed(1)}% of requests more than 2ms late (its timers or CPU, not the service)`
          : null;
    return { limited: reason !== null, cpu, reason };
  }

  /** After a step of the breakpoint phase: stop now? (Once decided, it stays decided.) */
  afterStep(r: PhaseResult): BreakpointStop | null {
    const bp = this.#breakpoint;
    if (!bp || this.#stopped || r.parent !== bp.phase || r.phase === r.parent) return null;
    this.#judged.set(r.phase, stepOfResult(r));
    // Results can come out of order (a step stuck on timeouts drains after the next one): the failures in the
    // order they came count too, as they always have, beside the steps in order with those failed while running.
    const d = breakpointDecision([...this.#judged.values()], capacityOptionsOf(this.#scenario).slo, bp.stopWhen);
    return d.stop ? this.#stop(bp, r.phase, d.reason) : this.#decide(bp);
  }

  /**
   * Each second, a step of the breakpoint phase still running (a provisional result): one that
   * has certainly failed its SLO already counts as failed, so the search can stop before the
   * step's responses have drained and the next steps have begun.
   */
  liveStep(r: PhaseResult): BreakpointStop | null {
    const bp = this.#breakpoint;
    if (!bp || this.#stopped || !bp.stopWhen.slo || r.parent !== bp.phase || r.phase === r.parent) return null;
    if (this.#judged.has(r.phase) || this.#live.has(r.phase)) return null;
    const failure = liveFailure(r, bp.stepMs, capacityOptionsOf(this.#scenario).slo);
    if (failure === null) return null;
    this.#live.set(r.phase, failure);
    return this.#decide(bp);
  }

  /** The search's verdict on the steps known so far, in order: judged ones, then any that certainly failed live. */
  #decide(bp: BreakpointPhase): BreakpointStop | null {
    const known: CapacityStep[] = [];
    const names: string[] = [];
    for (const name of bp.order) {
      const judged = this.#judged.get(name);
      const live = this.#live.get(name);
      if (judged) known.push(judged);
      // Certainly failed: a step that fails what is certain; when only "one of them" is, its achieved rate stands for it.
      else if (live)
        known.push({
          ...(live.latency || live.errors ? {} : { offered: 1 }),
          achieved: 0,
          p99Ms: live.latency ? Infinity : 0,
          errorRate: live.errors ? 1 : 0,
        });
      else break;
      names.push(name);
    }
    const d = breakpointDecision(known, capacityOptionsOf(this.#scenario).slo, bp.stopWhen);
    if (!d.stop) return null;
    const evidence = names.slice(-d.consecutiveFailures).flatMap((n) => {
      const live = this.#judged.has(n) ? undefined : this.#live.get(n);
      return live ? [live.evidence] : [];
    });
    return this.#stop(bp, names[names.length - 1] as string, evidence.length > 0 ? `${d.reason} (${evidence.join('; ')})` : d.reason);
  }

  /** Decided: steps still sending stop now and are cut short; a step whose sending is over drains whole. */
  #stop(bp: BreakpointPhase, after: string, reason: string): BreakpointStop {
    this.#stopped = {
      phase: bp.phase,
      after,
      reason,
      cutShort: bp.order.filter((s) => this.#started.has(s) && !this.#judged.has(s) && this.#sending(s)),
      notRun: bp.order.filter((s) => !this.#started.has(s)),
    };
    return this.#stopped;
  }
}
