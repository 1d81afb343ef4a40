/**
 * A bench worker leaves when the orchestrator that started it is gone (killed -9, crashed): it is
 * pinned and busy, and nobody will read its result. As the load worker does: the IPC channel's
 * 'disconnect' while the event loop is free, and the parent pid, which the kernel changes at once
 * (to init or a subreaper), read by the measuring loop itself, which holds the event loop for the
 * whole repetition when the task is synchronous.
 */

/** The orchestrator's pid; the process (and its worker threads) started while it was alive. */
const PARENT = process.ppid;

/** How often the measuring loop reads the parent pid (a syscall, ~0.3 µs): negligible, and prompt. */
const CHECK_EVERY_NS = 100_000_000n;
/** For the process's idle moments, in case the channel's close is missed. */
const POLL_MS = 500;

let nextCheckNs = 0n;

function leave(): void {
  // In a worker thread this ends the thread only; its host process leaves through exitWithParent.
  process.exit(0);
}

/** For a worker process's entry: exit as soon as the orchestrator's channel closes or it is reparented. */
export function exitWithParent(): void {
  process.on('disconnect', leave);
  setInterval(() => {
    if (process.ppid !== PARENT) leave();
  }, POLL_MS).unref();
}

/**
 * For the measuring loop, between samples, with the clock reading it already took: at most every
 * 100 ms, exits when the orchestrator is gone. Costs a bigint comparison otherwise.
 */
export function exitIfOrphaned(nowNs: bigint): void {
  if (nowNs < nextCheckNs) return;
  nextCheckNs = nowNs + CHECK_EVERY_NS;
  if (process.ppid !== PARENT) leave();
}
