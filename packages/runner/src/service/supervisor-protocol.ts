/** Messages between the runner and the service supervisor (supervisor-main.ts), over Node's IPC channel. */

/** From the supervisor to the runner. */
export type SupervisorMessage =
  | { type: 'started'; pid: number }
  | { type: 'spawn-error'; message: string }
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/** From the runner to the supervisor. */
export type SupervisorToService = { type: 'stop'; graceMs: number };
