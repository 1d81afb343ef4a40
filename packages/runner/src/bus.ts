import type { FunctionRow, ProfileRow, RuntimeSample, SpanRow } from '@headroom/capture';
import type { RepetitionOutcome } from '@headroom/bench';
import type { Scenario } from '@headroom/core';
import type { TraceSample } from '@headroom/internal';
import type { PhaseResult, SecondSample } from './aggregate.ts';
import type { Pinning } from '@headroom/internal';
import type { GateOutcome } from './gates.ts';
import type { StealSample } from './host-steal.ts';
import type { ProcSample } from './proc-sampler.ts';

/** Per-second runtime metrics of the service, as the capture agent reports them. */
export type { RuntimeSample };

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'aborted';

/** Everything that flows from the executor to sinks. One direction only. */
export type BusEvent =
  | { type: 'run-start'; runId: string; scenario: Scenario; startAt: number; totalMs: number }
  | { type: 'pinning'; pins: Pinning[] }
  | { type: 'phase-start'; phase: string; index: number; startedAt: number; durationMs: number; measured: boolean }
  | { type: 'second'; sample: SecondSample; startAt: number }
  | { type: 'phase'; result: PhaseResult }
  /** Every phase still running that moved, as aggregated so far (`partial`); each replaced by its `phase` event when it ends. */
  | { type: 'phase-progress'; results: PhaseResult[] }
  | { type: 'traces'; samples: TraceSample[] }
  | { type: 'runtime'; sample: RuntimeSample }
  /** The service's process tree over one second, from /proc (no agent needed). */
  | { type: 'proc'; sample: ProcSample }
  /** The hypervisor's steal on the service's and the generator's CPUs over one second, from /proc/stat. */
  | { type: 'steal'; sample: StealSample }
  | { type: 'profiles'; profiles: ProfileRow[]; functions: FunctionRow[] }
  /** The running phase's profiles as they stand (after each of its pushes); replaced by its `profiles` when it ends. */
  | { type: 'profiles-progress'; profiles: ProfileRow[]; functions: FunctionRow[] }
  /** Spans from the service, in batches as they arrive (at most ~1 s late), the last ones when capture finishes. */
  | { type: 'spans'; spans: SpanRow[] }
  | { type: 'bench-rep'; outcome: RepetitionOutcome }
  | { type: 'warning'; message: string }
  | { type: 'gates'; outcomes: GateOutcome[] }
  | { type: 'run-end'; status: RunStatus; error: string | null };

/** A consumer of bus events: store, live progress, gates, exporters. */
export interface Sink {
  readonly name: string;
  /** True when this sink shows warnings to the user itself (live progress), so the runner does not log them again. */
  readonly drawsWarnings?: boolean;
  onEvent(event: BusEvent): void;
  /** Finish pending work (flush writes). Called once at the end of the run. */
  close?(): Promise<void>;
}

/**
 * The sample bus: the executor publishes, sinks consume in registration order.
 * A sink that throws is reported and detached, so one broken output never loses the run.
 */
export class SampleBus {
  private readonly sinks: Sink[] = [];
  private readonly onSinkError: (sink: string, err: unknown) => void;

  constructor(onSinkError: (sink: string, err: unknown) => void) {
    this.onSinkError = onSinkError;
  }

  attach(sink: Sink): void {
    this.sinks.push(sink);
  }

  publish(event: BusEvent): void {
    for (const sink of [...this.sinks]) {
      try {
        sink.onEvent(event);
      } catch (err) {
        this.sinks.splice(this.sinks.indexOf(sink), 1);
        this.onSinkError(sink.name, err);
      }
    }
  }

  async close(): Promise<void> {
    for (const sink of this.sinks) {
      try {
        await sink.close?.();
      } catch (err) {
        this.onSinkError(sink.name, err);
      }
    }
  }
}
