/** Exit codes of the `headroom` command: the README lists them, and scripts rely on them. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  runFailed: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every error code headroom raises, with the exit code it maps to and what it means. Codes
 * are stable for scripts (`--json` prints `error.code`); the README lists this catalog.
 */
export const ERROR_CODES = {
  // Bad input or usage: exit 2, nothing started.
  E_USAGE: { exit: ExitCode.badInput, meaning: 'a missing argument or an unknown subcommand' },
  E_UNKNOWN_COMMAND: { exit: ExitCode.badInput, meaning: 'no such command' },
  E_UNKNOWN_OPTION: { exit: ExitCode.badInput, meaning: 'an option the command does not take' },
  E_OPTION_VALUE: { exit: ExitCode.badInput, meaning: 'an option value of the wrong type or out of range' },
  E_START_PASSED: {
    exit: ExitCode.badInput,
    meaning: '--start-at names a time already past, or too close for the load workers to start, once the run is prepared',
  },
  E_VALIDATION: { exit: ExitCode.badInput, meaning: 'a scenario or bench file with problems (all listed, with paths)' },
  E_FILE_NOT_FOUND: {
    exit: ExitCode.badInput,
    meaning: 'a file named on the command line (scenario, bench, samples, points) that does not exist',
  },
  E_NO_STORE: { exit: ExitCode.badInput, meaning: 'no store at the --db path yet' },
  E_NOT_A_STORE: { exit: ExitCode.badInput, meaning: 'the --db file is not a DuckDB store' },
  E_STORE_CORRUPT: { exit: ExitCode.badInput, meaning: 'the store file is damaged (checksum mismatch): restore it or start a new one' },
  E_STORE_NEWER: { exit: ExitCode.badInput, meaning: 'the store was written by a newer headroom' },
  E_BAD_EXPORT: { exit: ExitCode.badInput, meaning: 'a folder given to runs import holds a Parquet file that cannot be read' },
  E_RUN_NOT_FOUND: { exit: ExitCode.badInput, meaning: 'no run matches the id, prefix or latest~N' },
  E_RUN_AMBIGUOUS: { exit: ExitCode.badInput, meaning: 'a run id prefix that matches several runs' },
  E_NO_PROFILE: { exit: ExitCode.badInput, meaning: 'the run has no profile of that type or phase' },
  E_PROFILE_FORMAT: { exit: ExitCode.badInput, meaning: 'a file given as a profile is not a V8 .cpuprofile or pprof profile' },
  E_PROFILE_MISMATCH: { exit: ExitCode.badInput, meaning: 'profiles to merge or diff have no sample types in common' },
  E_NO_TRACES: { exit: ExitCode.badInput, meaning: 'the run has no sampled requests or spans' },
  E_SQL: { exit: ExitCode.badInput, meaning: 'the SQL given to runs sql failed' },
  E_NO_RUNS: { exit: ExitCode.badInput, meaning: 'the store has no runs of that scenario (forecast)' },
  E_COMPARE_MISMATCH: { exit: ExitCode.badInput, meaning: 'the two sides of a comparison cannot be compared' },
  E_NO_SEGMENTS: { exit: ExitCode.badInput, meaning: 'the bundles given to merge hold no segment run (of the chosen --start-at)' },
  E_SEGMENTS_INCOMPLETE: {
    exit: ExitCode.badInput,
    meaning: 'a segment of the execution is missing, given twice, or still running: merge needs each one exactly once',
  },
  E_SEGMENT_MISMATCH: {
    exit: ExitCode.badInput,
    meaning: 'segments given to merge differ in scenario, segment count, config or phases: they are not one execution',
  },
  E_SEGMENT_SKEW: { exit: ExitCode.badInput, meaning: 'segments started more than 1 s apart: they did not load the target together' },
  E_SEGMENTS_AMBIGUOUS: { exit: ExitCode.badInput, meaning: 'the bundles hold several complete executions: choose one with --start-at' },
  // The run could not be carried out: exit 3, what was measured is stored.
  E_STORE_LOCKED: { exit: ExitCode.runFailed, meaning: 'another headroom process is writing the store' },
  E_STORE_OPEN: { exit: ExitCode.runFailed, meaning: 'the store file could not be opened' },
  E_DISK_FULL: { exit: ExitCode.runFailed, meaning: 'no space left for the store or the artifacts; the run ended with what could be kept' },
  E_ARTIFACTS: { exit: ExitCode.runFailed, meaning: 'the run artifacts folder (results/<run-id>/) could not be written' },
  E_STORE_MIGRATION: { exit: ExitCode.runFailed, meaning: 'the store could not be migrated to the current schema' },
  E_TASKSET: { exit: ExitCode.runFailed, meaning: 'taskset (util-linux) is missing, so nothing can be pinned' },
  E_PERF_UNAVAILABLE: {
    exit: ExitCode.runFailed,
    meaning: "service.capture.cpu.profiler 'perf' asked for, but Linux perf is missing or not allowed (found before any load)",
  },
  E_PORT_IN_USE: { exit: ExitCode.runFailed, meaning: "something already listens on the service's ready port (the process is named)" },
  E_SERVICE_EXITED: { exit: ExitCode.runFailed, meaning: 'the service exited before it was ready' },
  E_SERVICE_NOT_READY: { exit: ExitCode.runFailed, meaning: 'the service was not ready within service.readyTimeout' },
  E_SERVICE_CRASHED: { exit: ExitCode.runFailed, meaning: 'the service died during the run' },
  E_NOT_STARTED: { exit: ExitCode.runFailed, meaning: 'the run stopped before load started' },
  E_TARGET_UNREACHABLE: { exit: ExitCode.runFailed, meaning: 'every request failed to connect' },
  E_ALL_REQUESTS_FAILED: {
    exit: ExitCode.runFailed,
    meaning: 'no request of a measured phase succeeded (resets, timeouts, garbage, error statuses)',
  },
  E_TLS_HANDSHAKE: {
    exit: ExitCode.runFailed,
    meaning: 'the TLS handshake with the https:// target failed before load started (certificate not trusted, wrong name, not TLS)',
  },
  E_HOST_UNRESOLVED: { exit: ExitCode.runFailed, meaning: 'the target host does not resolve; found before any load starts' },
  E_WORKER_FATAL: { exit: ExitCode.runFailed, meaning: 'a load worker reported a fatal error' },
  E_WORKER_CRASHED: { exit: ExitCode.runFailed, meaning: 'a load worker exited before finishing' },
  E_BENCH_WORKER: { exit: ExitCode.runFailed, meaning: 'a bench worker could not start or exited early' },
  E_RUN: { exit: ExitCode.runFailed, meaning: 'the run failed for another reason (the message says which)' },
  E_INTERNAL: { exit: ExitCode.runFailed, meaning: 'a bug in headroom: please report it with the stack trace' },
  // The user stopped it.
  E_INTERRUPTED: { exit: ExitCode.interrupted, meaning: 'interrupted by a signal; the partial run was stored' },
} as const satisfies Record<string, { exit: ExitCodeValue; meaning: string }>;

/** One of the codes in {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem found while validating user input, located by its path (`phases[2].rate.step`). */
export interface ValidationIssue {
  path: string;
  message: string;
  /** What to write instead. */
  hint?: string;
}

/**
 * Base of every error headroom raises on purpose. `code` is stable for scripts,
 * `message` says what to do, `exitCode` (from the catalog) is what the CLI exits with.
 */
export class HeadroomError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeadroomError';
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
  }
}

/** Bad input (scenario, bench file, flags): every problem at once, exit 2, nothing started. */
export class ValidationError extends HeadroomError {
  readonly issues: readonly ValidationIssue[];
  readonly source: string;
  constructor(source: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((i) => `  ${i.path || '(root)'}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`);
    super('E_VALIDATION', `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'ValidationError';
    this.issues = issues;
    this.source = source;
  }
}

/** Codes of wrong command lines and missing things (exit 2). */
export type UsageCode = { [K in ErrorCode]: (typeof ERROR_CODES)[K]['exit'] extends 2 ? K : never }[ErrorCode];

/** Wrong command line or input that names something missing: unknown command, bad flag value, unknown run id. */
export class UsageError extends HeadroomError {
  constructor(message: string, code: UsageCode = 'E_USAGE') {
    super(code, message);
    this.name = 'UsageError';
  }
}

/** The run could not be carried out: SUT crashed or never got ready, target unreachable. */
export class RunFailedError extends HeadroomError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'RunFailedError';
  }
}

/** The user asked to stop (SIGINT/SIGTERM/SIGHUP): what was measured is stored as interrupted. */
export class InterruptedError extends HeadroomError {
  constructor(signal: string) {
    super('E_INTERRUPTED', `interrupted by ${signal}; the partial run was stored`);
    this.name = 'InterruptedError';
  }
}
