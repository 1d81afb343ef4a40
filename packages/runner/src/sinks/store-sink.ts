import type { Row, RunSpool } from '@headroom/store';
import { redact, redactString } from '../redact.ts';
import type { RepetitionOutcome } from '@headroom/bench';
import type { PhaseResult, SecondSample } from '../aggregate.ts';
import type { BusEvent, RuntimeSample, Sink } from '../bus.ts';
import type { StealSample } from '../host-steal.ts';
import type { ProcSample } from '../proc-sampler.ts';
import { gateRows, phaseRow, type PhaseMeta } from './phase-row.ts';
import { scriptedRows } from './scripted-rows.ts';

/** How many seconds a series row is kept to join runtime metrics that arrive late. */
const SERIES_LAG_S = 3;

/**
 * Writes the run as it happens: phases when they end (and, each second until then, the phase
 * as it stands, marked partial, so a run killed mid-phase keeps it), the per-second series a few
 * seconds behind (so runtime metrics can join), trace samples, gates, pinning, profiles,
 * spans and bench repetitions, into the run's spool (see run-record.ts). Writes are
 * serialised; a run that dies midway keeps what was written.
 */
export class StoreSink implements Sink {
  readonly name = 'store';
  private readonly store: RunSpool;
  private readonly runId: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly series = new Map<number, Partial<Row<'series'>>>();
  private readonly runtime = new Map<number, RuntimeSample>();
  /** Seconds that had load ticks (a series row was written for each). */
  private readonly seconds = new Set<number>();
  private readonly proc = new Map<number, ProcSample>();
  private readonly steal = new Map<number, StealSample>();
  private startSecondEpoch = 0;
  private readonly phaseMeta = new Map<string, PhaseMeta>();
  /** Phases whose merged row was written: a provisional one arriving late must not replace it. */
  private readonly ended = new Set<string>();
  /** The provisional row of each phase still running, as last aggregated. */
  private readonly provisional = new Map<string, Partial<Row<'phases'>>>();
  /** The phase whose profiles stand as provisional rows beside the spool (its latest snapshot). */
  private snapshotPhase: string | null = null;
  private failure: unknown = null;

  /** Extra secret names (the scenario's `redact` list) for what requests leave in spans and samples. */
  private readonly secrets: readonly string[];

  constructor(store: RunSpool, runId: string, phaseMeta: Map<string, PhaseMeta> = new Map(), secrets: readonly string[] = []) {
    this.store = store;
    this.secrets = secrets;
    this.runId = runId;
    this.phaseMeta = phaseMeta;
  }

  onEvent(e: BusEvent): void {
    switch (e.type) {
      case 'run-start':
        this.startSecondEpoch = Math.floor(e.startAt / 1000);
        break;
      case 'pinning':
        this.store.updateRun({ pinning: JSON.stringify(e.pins) });
        break;
      case 'second':
        this.addSecond(e.sample);
        break;
      case 'runtime':
        this.addRuntime(e.sample);
        break;
      case 'proc':
        this.proc.set(e.sample.second, e.sample);
        if (this.series.has(e.sample.second)) this.writeSeries(e.sample.second);
        break;
      case 'steal':
        this.steal.set(e.sample.second, e.sample);
        if (this.series.has(e.sample.second)) this.writeSeries(e.sample.second);
        break;
      case 'phase-progress': {
        for (const r of e.results) if (!this.ended.has(r.phase)) this.provisional.set(r.phase, this.phaseRow(r));
        // Rewritten whole each second beside the spool (a fixed size however long the run); the
        // merged row a phase gets at its end has the same key, (run, phase), and wins.
        const rows = [...this.provisional.values()];
        this.write(async () => this.store.replaceProvisional('phases', rows));
        break;
      }
      case 'phase': {
        this.ended.add(e.result.phase);
        this.provisional.delete(e.result.phase);
        const row = this.phaseRow(e.result);
        this.write(() => this.store.upsert('phases', [row]));
        const extra = scriptedRows(this.runId, e.result, this.secrets);
        this.write(() => this.store.upsert('phase_requests', extra.requests));
        this.write(() => this.store.upsert('phase_checks', extra.checks));
        this.write(() => this.store.upsert('phase_flows', extra.flows));
        break;
      }
      case 'traces':
        this.write(() =>
          this.store.append(
            'trace_samples',
            e.samples.map((t) => ({
              run_id: this.runId,
              trace_id: t.traceId,
              span_id: t.spanId,
              phase: t.phase,
              request: redactString(t.request, this.secrets),
              started_at_ms: t.startedAt,
              latency_ms: t.latencyUs / 1000,
              status: t.status,
              error: t.error,
            })),
          ),
        );
        break;
      case 'gates': {
        const rows = gateRows(this.runId, e.outcomes);
        this.write(() => this.store.append('gates', rows));
        break;
      }
      case 'profiles':
        this.write(() =>
          this.store.append(
            'profiles',
            e.profiles.map((p) => ({ ...p, run_id: this.runId })),
          ),
        );
        this.write(() =>
          this.store.append(
            'profile_functions',
            e.functions.map((f) => ({ ...f, run_id: this.runId })),
          ),
        );
        // The snapshot's phase has its own rows now: its provisional ones go (the fold would drop them anyway).
        if (this.snapshotPhase !== null && e.profiles.some((p) => p.phase === this.snapshotPhase)) {
          this.snapshotPhase = null;
          this.write(async () => this.store.replaceProvisionalProfiles([], []));
        }
        break;
      case 'profiles-progress': {
        // Rewritten whole beside the spool at each push; the fold keeps them only for a phase that never got its own rows.
        this.snapshotPhase = e.profiles[0]?.phase ?? null;
        const profiles = e.profiles.map((p) => ({ ...p, run_id: this.runId }));
        const functions = e.functions.map((f) => ({ ...f, run_id: this.runId }));
        this.write(async () => this.store.replaceProvisionalProfiles(profiles, functions));
        break;
      }
      case 'spans':
        this.write(() =>
          this.store.append(
            'spans',
            e.spans.map((x) => ({
              ...x,
              run_id: this.runId,
              name: redactString(x.name, this.secrets),
              attributes: redact(x.attributes, this.secrets),
            })),
          ),
        );
        break;
      case 'bench-rep': {
        const o = e.outcome;
        this.write(() => this.writeRepetition(o));
        break;
      }
      default:
        break;
    }
  }

  private write(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((err) => {
      this.failure ??= err;
    });
  }

  private addSecond(s: SecondSample): void {
    const row: Partial<Row<'series'>> = {
      run_id: this.runId,
      second: s.second,
      phase: s.phase,
      requests: s.counts.requests,
      ok: s.counts.ok,
      errors: s.errors,
      errors_by_kind: JSON.stringify(s.counts.errors),
      late_sends: s.counts.lateSends,
      p50_ms: s.latency.p50Ms,
      p90_ms: s.latency.p90Ms,
      p99_ms: s.latency.p99Ms,
      max_ms: s.latency.maxMs,
      gen_cpu: s.genCpu,
      gen_wake_delay_us: s.genWakeDelayUs,
      hist: s.hist,
      concurrency: s.concurrency,
      queued_sends: s.counts.queuedSends,
    };
    // Written at once (a crash loses at most the second in progress); rewritten if its runtime metrics arrive later.
    this.series.set(s.second, row);
    this.seconds.add(s.second);
    this.writeSeries(s.second);
    for (const k of this.series.keys()) if (k < s.second - SERIES_LAG_S) this.series.delete(k);
  }

  private addRuntime(r: RuntimeSample): void {
    const second = r.second_epoch - this.startSecondEpoch;
    this.runtime.set(second, r);
    if (this.series.has(second)) this.writeSeries(second);
    for (const k of this.runtime.keys()) if (k < second - 2 * SERIES_LAG_S && !this.series.has(k)) this.runtime.delete(k);
  }

  /** Upserts second `k` with its runtime metrics and the service's /proc sample when they are known. */
  private writeSeries(k: number): void {
    const row = this.series.get(k);
    if (!row) return;
    const r = this.runtime.get(k);
    const p = this.proc.get(k);
    const st = this.steal.get(k);
    const base = st ? { ...row, steal_service: st.service, steal_generator: st.generator } : row;
    const withProc = p
      ? {
          ...base,
          proc_cpu: p.cpu,
          proc_rss_mb: p.rssMb,
          proc_threads: p.threads,
          proc_vcsw: p.voluntarySwitches,
          proc_ivcsw: p.involuntarySwitches,
          proc_count: p.processes,
        }
      : base;
    const joined = r
      ? {
          ...withProc,
          sut_cpu: r.cpu,
          sut_rss_mb: r.rss_mb,
          sut_heap_mb: r.heap_used_mb,
          sut_elu: r.elu,
          sut_eld_p99_ms: r.eld_p99_ms,
          sut_gc_ms: r.gc_ms,
        }
      : withProc;
    this.write(() => this.store.upsert('series', [joined]));
  }

  private phaseRow(p: PhaseResult): Partial<Row<'phases'>> {
    return phaseRow(this.runId, p, this.phaseMeta.get(p.phase) ?? this.phaseMeta.get(p.parent) ?? null);
  }

  /**
   * A bench repetition as it finishes (a bench that dies midway keeps what it measured).
   * Samples were thinned by the worker to at most the bench's sample cap.
   */
  private async writeRepetition(o: RepetitionOutcome): Promise<void> {
    const base = { run_id: this.runId, task: o.task, repetition: o.repetition, pid: o.pid };
    if (o.status === 'failed') {
      await this.store.append('bench_reps', [{ ...base, status: 'failed', error: o.error }]);
      return;
    }
    await this.store.append('bench_reps', [
      {
        ...base,
        cpus: JSON.stringify(o.cpus),
        iterations: o.iterations,
        mean_ns: o.meanNs,
        median_ns: o.medianNs,
        min_ns: o.minNs,
        max_ns: o.maxNs,
        sd_ns: o.sdNs,
        ops_per_s: o.opsPerSec,
        status: 'ok',
      },
    ]);
    await this.store.append(
      'bench_samples',
      Array.from(o.samples, (ns, i) => ({ ...base, sample_index: i, ns })),
    );
  }

  async close(): Promise<void> {
    // Runtime and /proc samples for seconds with no load tick (e.g. after the last request) still land.
    for (const k of new Set([...this.runtime.keys(), ...this.proc.keys()])) {
      if (k >= 0 && !this.seconds.has(k)) {
        this.series.set(k, { run_id: this.runId, second: k, phase: null });
        this.writeSeries(k);
      }
    }
    await this.queue;
    if (this.failure) throw this.failure;
  }
}
