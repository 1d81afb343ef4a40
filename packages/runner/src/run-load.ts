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
import { WORKER_ENTRY, WORKER_NODE_ARGS, planWorkers, plannedWorkerCount } from '@headroom/load';
import type { PhaseResult } from './aggregate.ts';
import { SampleBus, type RunStatus, type Sink } from './bus.ts';
import { pinSelf, pinningWarnings, readPinning, type Pinning } from '@headroom/internal';
import { evaluateThresholds, type GateOutcome } from './gates.ts';
import { closeRun, markRun, openRun, updateRunConfig } from './run-record.ts';
import { segmentRecord, storedConfig } from './segment-run.ts';
import { START_DELAY_MS, loadStartAt, waitLine } from './start-time.ts';
import { writeError } from '@headroom/store';
import { startServiceCapture, type ServiceCapture } from './capture-bridge.ts';
import { assertPortFree, resolveTarget } from './preflight.ts';
import { checkTlsHandshake } from './tls-preflight.ts';
import { placeWorkers, targetPinnings } from './target-placement.ts';
import { ServiceProcess } from './service/service-process.ts';
import { GateSink } from './sinks/gate-sink.ts';
import { StealSampler } from './host-steal.ts';
import { ProcSampler } from './proc-sampler.ts';
import { PrometheusSink } from './sinks/prometheus-sink.ts';
import { RemoteWriteSink } from './sinks/remote-write-sink.ts';
import { StoreSink } from './sinks/store-sink.ts';
import { WorkerPool } from './workers.ts';
import { RunFeed } from './run-feed.ts';
import { DEAD_RUN_CODES, deadRunFailure, exitCodeOf } from './run-outcome.ts';

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
  let steal: StealSampler | null = null;
  // Set once the workers are planned: it holds the phases that ended.
  let feed: RunFeed | null = null;
  // Phases that never ended (workers died or were killed mid-phase): kept as partial, never given to gates.
  const unfinished: PhaseResult[] = [];
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
    steal = new StealSampler({
      serviceCpus: scenario.service?.cpus ?? null,
      generatorCpus: scenario.workers.cpus,
      startAt,
      onSample: (sample) => {
        bus.publish({ type: 'steal', sample });
        feed?.watch.onSteal(sample);
      },
    });
    const plans = planWorkers(scenario, scenario.workers.count, startAt, { segment });
    if (segment !== null) {
      segmentRec = segmentRecord(segment, startAt, plans.length);
      updateRunConfig(record, storedConfig(scenario, segmentRec), scenario.redact);
    }
    const live = new RunFeed({
      scenario,
      segment,
      startAt,
      workers: plans.map((p) => p.index),
      bus,
      sampler,
      steal,
      warn,
      running: () => status === 'running',
      endPhase: (phase) => pool?.endPhase(phase),
      onReady: (worker, pid) => readBack(`worker-${worker}`, pid, pool?.procs.find((p) => p.index === worker)?.cpus ?? []),
      onFatal: (worker, message) => {
        if (status === 'running') status = 'failed';
        failure ??= new RunFailedError('E_WORKER_FATAL', `load worker ${worker} failed: ${message}`);
        stopAll('worker failed');
      },
    });
    feed = live;
    const totalMs = scenario.phases.reduce((s, p) => s + p.durationMs, 0);
    bus.publish({ type: 'run-start', runId, scenario, startAt, totalMs });
    pool = new WorkerPool({
      entry: WORKER_ENTRY,
      nodeArgs: WORKER_NODE_ARGS,
      plans,
      cpus: scenario.workers.cpus,
      onMessage: (msg) => live.onMessage(msg),
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
        if (status !== 'running' || live.watch.stopped !== null) return; // after a breakpoint stop, later starts are steps not run
        live.watch.onPhaseStart(name);
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
    unfinished.push(...live.finish());
    if (status === 'running') status = 'completed';
    const dead = status === 'completed' ? deadRunFailure(live.results, scenario) : null;
    if (dead !== null) {
      status = 'failed';
      failure = dead;
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
    steal?.stop();
    options.signal?.removeEventListener('abort', onAbort);
    options.urgent?.removeEventListener('abort', onUrgent);
    pool?.kill();
  }

  const results = (feed as RunFeed | null)?.results ?? [];
  // A run whose requests all failed still shows its gates (latency ones as no-data), so nobody reads a pass into it.
  const deadRun = DEAD_RUN_CODES.includes((failure as HeadroomError | null)?.code ?? '');
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

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
