import {
  ExitCode,
  HeadroomError,
  RunFailedError,
  subPhases,
  type ExitCodeValue,
  type Scenario,
  type Segment,
  type SegmentRecord,
  type Threshold,
} from '@headroom/core';
import { type WorkerToRunner } from '@headroom/internal';
import { WORKER_ENTRY, WORKER_NODE_ARGS, planWorkers, plannedWorkerCount } from '@headroom/load';
import { PhaseMerger, SecondMerger, type PhaseResult } from './aggregate.ts';
import { PhaseProgress } from './phase-progress.ts';
import { SampleBus, type RunStatus, type Sink } from './bus.ts';
import { pinSelf, pinningWarnings, readPinning, type Pinning } from '@headroom/internal';
import { evaluateThresholds, type GateOutcome } from './gates.ts';
import { closeRun, markRun, openRun, updateRunConfig } from './run-record.ts';
import { segmentRecord, storedConfig, toSegmentShare } from './segment-run.ts';
import { START_DELAY_MS, loadStartAt, waitLine } from './start-time.ts';
import { writeError } from '@headroom/store';
import { startServiceCapture, type ServiceCapture } from './capture-bridge.ts';
import { assertPortFree, resolveTarget } from './preflight.ts';
import { checkTlsHandshake } from './tls-preflight.ts';
import { placeWorkers, targetPinnings } from './target-placement.ts';
import { ServiceProcess } from './service/service-process.ts';
import { GateSink } from './sinks/gate-sink.ts';
import { PhaseWatch, type BreakpointStop } from './phase-watch.ts';
import { ProcSampler } from './proc-sampler.ts';
import { PrometheusSink } from './sinks/prometheus-sink.ts';
import { RemoteWriteSink } from './sinks/remote-write-sink.ts';
import { StoreSink } from './sinks/store-sink.ts';
import { WorkerPool } from './workers.ts';
import { redactString } from './redact.ts';

export interface RunScenarioOptions {
  /** The store file; the run writes its own spool beside it and is folded in at the end. */
  db: string;
  /** More sinks to attach after the store (live progress, exporters). @default [] */
  sinks?: readonly Sink[];
  /** Aborting stores the partial run as interrupted. */
  signal?: AbortSignal;
  /** Aborting (after `signal`) kills the workers and the service at once instead of stopping them in order. */
  urgent?: AbortSignal;
  /** Log line sink for warnings and status (stderr in the CLI). @default no-op */
  log?(line: string): void;
  /**
   * Run only this segment of the scenario's load (`--segment i/n`); the caller has checked the
   * scenario with core's segmentIssues. Its gates are left to `headroom merge`.
   * @default null: the whole load
   */
  segment?: Segment | null;
  /**
   * Epoch ms at which phase 0 starts (`--start-at`), after preparation; a time less than
   * MIN_START_LEAD_MS ahead once prepared fails the run with E_START_PASSED (exit 2).
   * @default null: START_DELAY_MS after preparation
   */
  startAt?: number | null;
}

/** What a load run produced: data, whatever its status. */
export interface RunOutcome {
  runId: string;
  scenario: string;
  status: RunStatus;
  exitCode: ExitCodeValue;
  startedAt: number;
  endedAt: number;
  phases: PhaseResult[];
  gates: GateOutcome[];
  pins: Pinning[];
  warnings: string[];
  error: string | null;
  artifactsDir: string;
  /** What a segment run stored as config.segment; absent or null for a run of the whole scenario. */
  segment?: SegmentRecord | null;
}

/** Generator CPU above this for 3 seconds in a row means the generator, not the service, is the limit. */
const GEN_CPU_LIMIT = 0.9;

/** Runs a validated scenario end to end and stores it; never throws for an outcome that is data. */
export async function runScenario(input: Scenario, options: RunScenarioOptions): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  // No service block and a target on this host: workers default away from the CPUs it runs on.
  const { scenario, placement } = placeWorkers(input);
  const segment = options.segment ?? null;
  // A segment run's config says which segment it is from the start (its start and workers as planned, until known).
  let segmentRec =
    segment === null
      ? null
      : segmentRecord(
          segment,
          options.startAt ?? Date.now() + START_DELAY_MS,
          plannedWorkerCount(scenario, scenario.workers.count, segment),
        );
  const record = openRun(options.db, {
    kind: 'load',
    name: scenario.name,
    file: scenario.file,
    config: storedConfig(scenario, segmentRec),
    serviceCpus: scenario.service?.cpus ?? null,
    workerCpus: scenario.workers.cpus,
    redact: scenario.redact,
  });
  const { id: runId, startedAt, artifactsDir } = record;
  const warnings: string[] = [];

  const bus = new SampleBus((sink, err) => {
    const m = `output ${sink} failed and was detached: ${(err as Error).message}`;
    warnings.push(m);
    log(`warning: ${m}`);
  });
  const phaseMeta = new Map<string, { model: string; warmup: boolean }>();
  for (const p of scenario.phases) phaseMeta.set(p.name, { model: p.model, warmup: p.warmup });
  const storeSink = new StoreSink(record.spool, runId, phaseMeta, scenario.redact);
  bus.attach(storeSink);
  for (const sink of options.sinks ?? []) bus.attach(sink);
  const warn = (message: string) => {
    warnings.push(message);
    bus.publish({ type: 'warning', message });
    if (!options.sinks?.some((x) => x.drawsWarnings)) log(`warning: ${message}`);
  };

  let status: RunStatus = 'running';
  let failure: HeadroomError | null = null;
  let abortedBy: Threshold | null = null;
  let service: ServiceProcess | null = null;
  let capture: ServiceCapture | null = null;
  let pool: WorkerPool | null = null;
  let sampler: ProcSampler | null = null;
  const results: PhaseResult[] = [];
  // Phases that never ended (workers died or were killed mid-phase): kept as partial, never given to gates.
  const unfinished: PhaseResult[] = [];
  // Per phase, each second's generator wake-up delay: the floor reported beside the latencies.
  const wakeDelays = new Map<string, number[]>();
  // The CPUs each process's threads may use, by role; a later read-back replaces an earlier one.
  const pins = new Map<string, Pinning>();
  const readBack = (role: string, pid: number, cpus: number[]) => {
    const pin = readPinning(role, pid, cpus);
    if (pin) pins.set(role, pin);
  };
  for (const pin of targetPinnings(placement)) pins.set(pin.role, pin);
  if (placement.status === 'found') log(placement.note);
  const placementWarning = placement.status === 'skipped' ? null : placement.warning;
  if (placementWarning !== null) warn(placementWarning);
  const timers: NodeJS.Timeout[] = [];
  const stopAll = (reason: string) => {
    pool?.stop(reason);
  };
  const onAbort = () => {
    if (status !== 'running') return;
    status = 'interrupted';
    // Recorded at once: if the user insists (a second Ctrl-C) and headroom exits now, the run still says interrupted.
    markRun(record, 'interrupted', 'interrupted by a signal');
    stopAll('interrupted');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // A second signal: no orderly stop, kill the workers and the service now and record what arrived.
  const onUrgent = () => {
    pool?.kill();
    void service?.stop(0);
  };
  options.urgent?.addEventListener('abort', onUrgent, { once: true });

  try {
    await resolveTarget(scenario.target);
    const prom = scenario.outputs.prometheus;
    if (prom) {
      bus.attach(await PrometheusSink.start(scenario));
      log(`prometheus: the run's figures at http://${prom.host.includes(':') ? `[${prom.host}]` : prom.host}:${prom.port}/metrics`);
    }
    if (scenario.outputs.prometheusRemoteWrite) bus.attach(new RemoteWriteSink(scenario, warn));
    if (scenario.service) {
      // Keep headroom itself (receivers, merging, DuckDB) off the service's CPUs: with the generator.
      const own = scenario.workers.cpus.filter((c) => !scenario.service?.cpus.includes(c));
      if (own.length > 0 && pinSelf(own)) {
        readBack('orchestrator', process.pid, own);
      }
    } else if (placement.status === 'found' && placement.moved && pinSelf(placement.workerCpus)) {
      // Likewise off a local target's CPUs, when the workers were moved off them.
      readBack('orchestrator', process.pid, placement.workerCpus);
    }
    if (scenario.service) {
      assertPortFree(scenario.service.ready);
      capture = await startServiceCapture(scenario, runId, artifactsDir, bus, warn);
      const svc = scenario.service;
      service = new ServiceProcess(svc, {
        nodeArgs: capture?.nodeArgs ?? [],
        env: capture?.env ?? {},
        onExit: () => {
          if (status !== 'running') return;
          status = 'failed';
          failure = new RunFailedError('E_SERVICE_CRASHED', `the service died during the run: ${service?.describeExit() ?? ''}`);
          stopAll('service crashed');
        },
      });
      await service.started();
      if (service.pid > 0) capture?.attach(service.pid);
      log(`service: ${service.argv.join(' ')} (pid ${service.pid}, CPUs ${svc.cpus.join(',')})`);
      const readyMs = await service.waitReady(svc.ready, svc.readyTimeoutMs, options.signal, scenario.tls);
      log(`service ready in ${Math.round(readyMs)}ms`);
    }
    if (status !== 'running') throw failure ?? new RunFailedError('E_NOT_STARTED', 'the run stopped before load started');
    if (scenario.tls) await checkTlsHandshake(scenario.target, scenario.tls);

    const startAt = loadStartAt(options.startAt ?? null, Date.now());
    if (options.startAt !== undefined && options.startAt !== null) log(waitLine(startAt, Date.now(), segment));
    if (service && scenario.service) {
      const svcCpus = scenario.service.cpus.length;
      sampler = new ProcSampler({
        pid: service.pid,
        cpuCount: svcCpus,
        startAt,
        onSample: (sample) => bus.publish({ type: 'proc', sample }),
      });
    }
    const plans = planWorkers(scenario, scenario.workers.count, startAt, { segment });
    if (segment !== null) {
      segmentRec = segmentRecord(segment, startAt, plans.length);
      updateRunConfig(record, storedConfig(scenario, segmentRec), scenario.redact);
    }
    const progress = new PhaseProgress(scenario, startAt);
    const watch = new PhaseWatch({
      scenario,
      ...(sampler ? { readTree: () => sampler?.read() ?? null, latestTree: () => sampler?.latest() ?? null } : {}),
      sending: (name) => progress.sending(name, Date.now()),
    });
    // A breakpoint search decided (on a step's result, or on a step that certainly failed while running): steps
    // not begun never start, steps still sending stop and are cut short, a step already draining ends whole.
    const onBreakpointStop = (stop: BreakpointStop) => {
      if (status !== 'running') return;
      const list = (names: string[]) => `${names.length} step${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
      const rest = [
        stop.cutShort.length > 0
          ? `${list(stop.cutShort)} had begun and ${stop.cutShort.length === 1 ? 'is' : 'are'} stored as cut short, outside the analysis`
          : '',
        stop.notRun.length > 0 ? `${list(stop.notRun)} not run` : '',
      ].filter((x) => x !== '');
      warn(
        `breakpoint search: ${stop.reason} (up to ${stop.after}); ${rest.length === 0 ? 'that was the last step' : `stopping ${stop.phase} early: ${rest.join('; ')}`}`,
      );
      if (rest.length > 0) pool?.endPhase(stop.phase);
    };
    const phases = new PhaseMerger(plans.length);
    // Each complete second, the phases still running are stored as they stand (a crash loses at most the second in progress).
    const publishProgress = (provisional: PhaseResult[]) => {
      if (provisional.length === 0) return;
      for (const r of provisional) {
        toSegmentShare(r, segment);
        watch.enrichProvisional(r);
      }
      bus.publish({ type: 'phase-progress', results: provisional });
      for (const r of provisional) {
        const stop = watch.liveStep(r);
        if (stop) onBreakpointStop(stop);
      }
    };
    const publishPhase = (r: PhaseResult) => {
      progress.end(r.phase);
      toSegmentShare(r, segment);
      // Default request names hold the path and its query: redacted before any sink or output sees them.
      if (r.names) for (const n of r.names) n.name = redactString(n.name, scenario.redact);
      for (const w of watch.enrich(r)) warn(w);
      if (watch.cutShort(r.phase)) r.cutShort = true;
      results.push(r);
      bus.publish({ type: 'phase', result: r });
      const stop = watch.afterStep(r);
      if (stop) onBreakpointStop(stop);
    };
    const seconds = new SecondMerger(
      plans.map((p) => p.index),
      progress,
    );
    const totalMs = scenario.phases.reduce((s, p) => s + p.durationMs, 0);
    bus.publish({ type: 'run-start', runId, scenario, startAt, totalMs });
    let hotSeconds = 0;
    let warnedCpu = false;
    const onMessage = (msg: WorkerToRunner) => {
      switch (msg.type) {
        case 'ready':
          readBack(`worker-${msg.worker}`, msg.pid, pool?.procs.find((p) => p.index === msg.worker)?.cpus ?? []);
          break;
        case 'tick': {
          const complete = seconds.add(msg);
          for (const s of complete) {
            watch.onSecond(s);
            bus.publish({ type: 'second', sample: s, startAt });
            if (s.genWakeDelayUs !== null) wakeDelays.set(s.phase, [...(wakeDelays.get(s.phase) ?? []), s.genWakeDelayUs]);
            hotSeconds = s.genCpu > GEN_CPU_LIMIT && scenario.workers.idle !== 'poll' ? hotSeconds + 1 : 0;
            if (hotSeconds >= 3 && !warnedCpu) {
              warnedCpu = true;
              warn(
                `load generator CPU above ${GEN_CPU_LIMIT * 100}% for 3s (phase ${s.phase}): from here the generator, not the service, may be the limit; add workers.cpus or lower the load`,
              );
            }
          }
          if (complete.length > 0) publishProgress(progress.take(phases.nextOrdinal));
          break;
        }
        case 'phase-end': {
          const r = phases.add(msg);
          if (r) publishPhase(r);
          break;
        }
        case 'traces':
          bus.publish({ type: 'traces', samples: msg.samples });
          break;
        case 'warning':
          warn(`worker ${msg.worker}: ${msg.message}`);
          break;
        case 'fatal':
          if (status === 'running') status = 'failed';
          failure ??= new RunFailedError('E_WORKER_FATAL', `load worker ${msg.worker} failed: ${msg.message}`);
          stopAll('worker failed');
          break;
        case 'done': {
          const complete = seconds.retire(msg.worker);
          for (const s of complete) bus.publish({ type: 'second', sample: s, startAt });
          if (complete.length > 0) publishProgress(progress.take(phases.nextOrdinal));
          break;
        }
      }
    };
    pool = new WorkerPool({
      entry: WORKER_ENTRY,
      nodeArgs: WORKER_NODE_ARGS,
      plans,
      cpus: scenario.workers.cpus,
      onMessage,
      onCrash: (w, code, sig) => {
        if (status === 'running') status = 'failed';
        failure ??= new RunFailedError('E_WORKER_CRASHED', `load worker ${w} exited (${sig ?? `code ${code}`}) before finishing`);
        stopAll('worker crashed');
      },
    });
    pool.start(plans);
    // A segment sees only its share of the load: thresholds are headroom merge's to judge (abortOnFail is refused for one).
    if (segment === null)
      bus.attach(
        new GateSink(scenario, (t, value) => {
          if (status !== 'running') return;
          status = 'aborted';
          abortedBy = t;
          warn(`threshold ${t.key} ${t.expression} failed (value ${round(value)}) with abortOnFail: stopping the run`);
          stopAll(`threshold ${t.key} failed`);
        }),
      );
    if (service) readBack('service', service.pid, scenario.service?.cpus ?? []);
    schedulePhases(
      scenario,
      startAt,
      (name, index, durationMs, measured) => {
        if (status !== 'running' || watch.stopped !== null) return; // after a breakpoint stop, later starts are steps not run
        watch.onPhaseStart(name);
        bus.publish({ type: 'phase-start', phase: name, index, startedAt: Date.now(), durationMs, measured });
        capture?.setPhase(measured ? name : null, measured, durationMs).catch((err: Error) => warn(`capture: ${err.message}`));
      },
      timers,
    );
    // Pinning is read back once workers have started their threads.
    timers.push(
      setTimeout(() => {
        for (const p of pool?.procs ?? []) readBack(`worker-${p.index}`, p.child.pid ?? -1, p.cpus);
        if (service) readBack('service', service.pid, scenario.service?.cpus ?? []);
        bus.publish({ type: 'pinning', pins: [...pins.values()] });
        for (const w of pinningWarnings([...pins.values()])) warn(w);
      }, START_DELAY_MS + 500),
    );

    const deadline = setTimeout(
      () => {
        warn('workers did not finish 30s after the planned end; killing them');
        pool?.kill();
      },
      startAt - Date.now() + totalMs + 30_000,
    );
    await pool.exited;
    clearTimeout(deadline);
    for (const s of seconds.flush()) bus.publish({ type: 'second', sample: s, startAt });
    for (const r of phases.flush()) publishPhase(r);
    unfinished.push(...progress.unfinished(phases.nextOrdinal));
    publishProgress(unfinished);
    for (const r of results) r.genWakeDelayUs = medianOf(wakeDelays.get(r.phase) ?? []);
    if (status === 'running') status = 'completed';
    const dead = status === 'completed' ? deadPhase(results, scenario) : null;
    if (dead !== null) {
      status = 'failed';
      failure = unreachable(results)
        ? new RunFailedError(
            'E_TARGET_UNREACHABLE',
            `every request to ${scenario.target} failed to connect (${describeErrors(results)}); is the service listening there?`,
          )
        : new RunFailedError(
            'E_ALL_REQUESTS_FAILED',
            `every request of phase ${dead} failed (${describeErrors(results.filter((r) => r.phase === dead))}); the service at ${scenario.target} answered no request successfully`,
          );
    }
  } catch (err) {
    if (status === 'running' || status === 'completed') status = options.signal?.aborted ? 'interrupted' : 'failed';
    failure =
      err instanceof HeadroomError
        ? err
        : options.signal?.aborted
          ? null
          : new RunFailedError('E_RUN', (err as Error).message, { cause: err });
  } finally {
    for (const t of timers) clearTimeout(t);
    sampler?.stop();
    options.signal?.removeEventListener('abort', onAbort);
    options.urgent?.removeEventListener('abort', onUrgent);
    pool?.kill();
  }

  // A run whose requests all failed still shows its gates (latency ones as no-data), so nobody reads a pass into it.
  const deadRun = ['E_ALL_REQUESTS_FAILED', 'E_TARGET_UNREACHABLE'].includes((failure as HeadroomError | null)?.code ?? '');
  const gates =
    segment !== null || (status === 'failed' && !deadRun)
      ? []
      : evaluateThresholds(scenario, results, (abortedBy as Threshold | null)?.key ?? null);
  if (gates.length > 0) bus.publish({ type: 'gates', outcomes: gates });
  if (capture) {
    try {
      const artifactError = await capture.finish();
      if (artifactError && status !== 'failed') {
        status = 'failed';
        failure = writeError(artifactError, artifactError.path);
      }
    } catch (err) {
      warn(`capture could not be stored: ${(err as Error).message}`);
    }
  }
  if (service) await service.stop(scenario.service?.stopTimeoutMs ?? 5000);
  const error = (failure as HeadroomError | null)?.message ?? null;
  bus.publish({ type: 'run-end', status, error });
  await bus.close();
  const gateStatus = gates.length === 0 ? null : gates.every((g) => g.status === 'passed') ? 'passed' : 'failed';
  let finalStatus = status;
  let finalError = error;
  // The spool could not be written (a full disk): the run is failed, with what could be kept.
  const spoolFailure = record.spool.failure;
  if (spoolFailure) {
    finalStatus = 'failed';
    finalError = writeError(spoolFailure, record.spool.path).message;
  }
  const closed = await closeRun(record, {
    status: finalStatus,
    error: finalError,
    warnings,
    gates: gateStatus,
    pinning: [...pins.values()],
  });
  if (closed.storeError?.code === 'E_STORE_LOCKED') {
    // Kept in its spool: the next headroom that opens the store folds it in. The run itself is fine.
    log(
      `headroom: ${closed.storeError.message.split('\n')[0]}: the run stays in ${record.spool.path} and is folded in by the next headroom that opens the store`,
    );
  } else if (closed.storeError) {
    if (!spoolFailure) {
      finalStatus = 'failed';
      finalError = closed.storeError.message;
    }
    log(`headroom: ${closed.storeError.message}`);
  }
  return {
    runId,
    scenario: scenario.name,
    status: finalStatus,
    // A run refused for bad input once prepared (a --start-at already past) keeps that exit code.
    exitCode: (failure as HeadroomError | null)?.exitCode === ExitCode.badInput ? ExitCode.badInput : exitCodeOf(finalStatus, gateStatus),
    startedAt,
    endedAt: closed.endedAt,
    phases: [...results, ...unfinished],
    gates,
    pins: [...pins.values()],
    warnings,
    error: finalError,
    artifactsDir,
    segment: segmentRec,
  };
}

function exitCodeOf(status: RunStatus, gates: string | null): ExitCodeValue {
  if (status === 'failed') return ExitCode.runFailed;
  if (status === 'interrupted') return ExitCode.interrupted;
  if (status === 'aborted' || gates === 'failed') return ExitCode.gateFailed;
  return ExitCode.ok;
}

/** Calls `onPhase` at each phase (and step) start on the common timeline. */
function schedulePhases(
  scenario: Scenario,
  startAt: number,
  onPhase: (name: string, index: number, durationMs: number, measured: boolean) => void,
  timers: NodeJS.Timeout[],
): void {
  let offset = 0;
  scenario.phases.forEach((p, index) => {
    if (p.model === 'steps' || p.model === 'closed-steps') {
      subPhases(p).forEach((step, k) => {
        const at = offset + k * p.stepDurationMs;
        timers.push(setTimeout(() => onPhase(step.name, index, p.stepDurationMs, !p.warmup), Math.max(0, startAt + at - Date.now())));
      });
    } else {
      const at = offset;
      timers.push(setTimeout(() => onPhase(p.name, index, p.durationMs, !p.warmup), Math.max(0, startAt + at - Date.now())));
    }
    offset += p.durationMs;
  });
}

/** The first measured phase in which requests were made and none succeeded, else null. */
function deadPhase(results: PhaseResult[], scenario: Scenario): string | null {
  const warmups = new Set(scenario.phases.filter((p) => p.warmup).map((p) => p.name));
  const dead = results.find((r) => r.parent === r.phase && !warmups.has(r.phase) && r.counts.requests > 0 && r.counts.ok === 0);
  return dead?.phase ?? null;
}

function unreachable(results: PhaseResult[]): boolean {
  const top = results.filter((r) => r.parent === r.phase);
  const requests = top.reduce((s, r) => s + r.counts.requests, 0);
  const refused = top.reduce((s, r) => s + (r.counts.errors.refused ?? 0), 0);
  return requests > 0 && refused === requests;
}

function describeErrors(results: PhaseResult[]): string {
  const all: Record<string, number> = {};
  for (const r of results.filter((x) => x.parent === x.phase))
    for (const [k, v] of Object.entries(r.counts.errors)) all[k] = (all[k] ?? 0) + (v ?? 0);
  return Object.entries(all)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}
