/** Exit codes of the `headroom` command, as DESIGN.md promises them to users. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  runFailed: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One problem found while validating user input, located by its path (`phases[2].rate.step`). */
export interface ValidationIssue {
  path: string;
  message: string;
  /** What to write instead. */
  hint?: string;
}

/**
 * Base of every error headroom raises on purpose. `code` is stable for scripts,
 * `message` says what to do, `exitCode` is what the CLI exits with.
 */
export class HeadroomError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  constructor(code: string, message: string, exitCode: ExitCodeValue, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeadroomError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad input (scenario, bench file, flags): every problem at once, exit 2, nothing started. */
export class ValidationError extends HeadroomError {
  readonly issues: readonly ValidationIssue[];
  readonly source: string;
  constructor(source: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((i) => `  ${i.path || '(root)'}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`);
    super(
      'E_VALIDATION',
      `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
      ExitCode.badInput,
    );
    this.name = 'ValidationError';
    this.issues = issues;
    this.source = source;
  }
}

/** Wrong command line: unknown command, missing argument, unknown run id. */
export class UsageError extends HeadroomError {
  constructor(message: string) {
    super('E_USAGE', message, ExitCode.badInput);
    this.name = 'UsageError';
  }
}

/** The run could not be carried out: SUT crashed or never got ready, target unreachable. */
export class RunFailedError extends HeadroomError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, message, ExitCode.runFailed, options);
    this.name = 'RunFailedError';
  }
}

/** The user asked to stop (SIGINT/SIGTERM): what was measured is stored as interrupted. */
export class InterruptedError extends HeadroomError {
  constructor(signal: string) {
    super('E_INTERRUPTED', `interrupted by ${signal}; the partial run was stored`, ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}
