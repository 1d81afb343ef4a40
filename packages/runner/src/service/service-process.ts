import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunFailedError, TLS_DEFAULTS, formatDuration, type Service, type Tls } from '@headroom/core';
import { pinned } from '@headroom/internal';
import { describeTlsFailure, isLastingTlsFailure } from '../tls-preflight.ts';
import { probeReady } from './ready-probe.ts';
import type { SupervisorMessage, SupervisorToService } from './supervisor-protocol.ts';

/** A target without tls options: Node's bundled roots, names checked. */
const NODE_TLS: Tls = { ca: [], cert: null, key: null, servername: null, ...TLS_DEFAULTS };
const SUPERVISOR = fileURLToPath(new URL('./supervisor-main.ts', import.meta.url));

/** Options for starting the service under test. */
export interface StartServiceOptions {
  /** Extra node arguments inserted after `node` (capture agent preload). @default [] */
  nodeArgs?: string[];
  /** Extra environment for the service. @default {} */
  env?: Record<string, string>;
  /** Called once if the service exits while the run is still going. */
  onExit?(code: number | null, signal: NodeJS.Signals | null): void;
  /** Aborts the readiness wait. */
  signal?: AbortSignal;
}

const STDERR_LINES = 20;

/**
 * A running service under test, pinned, with the tail of its output kept for error messages.
 * It runs under a small supervisor (supervisor-main.ts) in a process group of its own: the
 * supervisor stops the service and everything it started at the end of the run, and on its
 * own when headroom disappears (kill -9), so nothing is left running.
 */
export class ServiceProcess {
  readonly argv: string[];
  /** The supervisor; the service is its child. */
  readonly child: ChildProcess;
  private servicePid = -1;
  private readonly startedPromise: Promise<void>;
  private tail: string[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exitPromise: Promise<void>;

  constructor(service: Service, options: StartServiceOptions = {}) {
    const [cmd, ...rest] = service.command;
    // `node` means the Node running headroom (24 LTS), not whatever is first on PATH.
    const exe = cmd === 'node' ? process.execPath : (cmd as string);
    const args = cmd === 'node' ? [...(options.nodeArgs ?? []), ...rest] : rest;
    this.argv = [exe, ...args];
    this.child = spawn(process.execPath, [SUPERVISOR, ...pinned(service.cpus, this.argv)], {
      cwd: service.cwd,
      env: { ...process.env, ...service.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true, // own process group (and session): a terminal's Ctrl-C reaches headroom, which stops the service in order
    });
    this.startedPromise = new Promise((resolve) => {
      this.child.on('message', (m: SupervisorMessage) => {
        if (m.type === 'started') {
          this.servicePid = m.pid;
          resolve();
        }
        if (m.type === 'spawn-error') {
          this.tail.push(m.message);
          resolve();
        }
        if (m.type === 'exit') this.exited ??= { code: m.code, signal: m.signal };
      });
      this.child.on('exit', () => resolve());
    });
    const keep = (chunk: Buffer) => {
      this.tail.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      if (this.tail.length > STDERR_LINES) this.tail = this.tail.slice(-STDERR_LINES);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exitPromise = new Promise((resolve) => {
      // The supervisor reports the service's own exit just before it exits; its own exit status is the fallback.
      // Its exit can be seen before that last message is read: the verdict waits for the channel to close too.
      let own: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      let channelOpen = this.child.connected;
      const settle = () => {
        if (own === null || channelOpen) return;
        this.exited ??= own;
        options.onExit?.(this.exited.code, this.exited.signal);
        resolve();
      };
      this.child.on('disconnect', () => {
        channelOpen = false;
        settle();
      });
      this.child.on('exit', (code, signal) => {
        own = { code, signal };
        settle();
      });
      this.child.on('error', (err) => {
        this.tail.push(err.message);
        this.exited ??= { code: null, signal: null };
        resolve();
      });
    });
    ALIVE.add(this);
  }

  /** Resolves once the service process exists (its pid is known) or could not start. */
  started(): Promise<void> {
    return this.startedPromise;
  }

  /** The service's own pid (-1 before `started()` resolves). */
  get pid(): number {
    return this.servicePid;
  }

  /** The process group the service runs in (the supervisor's pid). */
  get group(): number {
    return this.child.pid ?? -1;
  }

  get exit(): { code: number | null; signal: NodeJS.Signals | null } | null {
    return this.exited;
  }

  /** Last lines the service wrote to stdout/stderr. */
  lastLines(): string[] {
    return [...this.tail];
  }

  describeExit(): string {
    const e = this.exited;
    const how = !e ? 'is still running' : e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
    const tail = this.tail.length
      ? `\n  last output:\n${this.tail
          .slice(-10)
          .map((l) => `    ${l}`)
          .join('\n')}`
      : '\n  (it printed nothing)';
    return `service \`${this.argv.map((a) => (basename(a) === a ? a : a)).join(' ')}\` ${how}${tail}`;
  }

  /** Polls `url` until it answers 2xx; fails with the command, its exit and its output. `tls`: options for an https:// URL (the target's). */
  async waitReady(url: string, timeoutMs: number, signal?: AbortSignal, tls: Tls | null = null): Promise<number> {
    const start = performance.now();
    let last = 'no answer yet';
    while (performance.now() - start < timeoutMs) {
      if (signal?.aborted) throw signal.reason;
      if (this.exited)
        throw new RunFailedError('E_SERVICE_EXITED', `the service exited before it was ready at ${url}: ${this.describeExit()}`);
      try {
        const status = await probeReady(url, tls);
        if (status >= 200 && status < 300) return performance.now() - start;
        last = `HTTP ${status}`;
      } catch (err) {
        // A certificate the target's TLS options reject will not change by waiting: fail now, saying what to set.
        if (url.startsWith('https:') && isLastingTlsFailure(err as NodeJS.ErrnoException))
          throw new RunFailedError('E_TLS_HANDSHAKE', describeTlsFailure(url, tls ?? NODE_TLS, err as NodeJS.ErrnoException), {
            cause: err,
          });
        last = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new RunFailedError(
      'E_SERVICE_NOT_READY',
      `the service was not ready at ${url} within ${formatDuration(timeoutMs)} (last: ${last}); raise service.readyTimeout or fix the readiness URL\n  ${this.describeExit()}`,
    );
  }

  /**
   * Asks the supervisor to stop the service and every process it started (SIGTERM, SIGKILL
   * after the grace period); kills the whole group if the supervisor does not answer.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (this.child.connected)
        this.child.send({ type: 'stop', graceMs } satisfies SupervisorToService, () => {}); // a write error: it already exited
      else killGroup(this.group, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.group, 'SIGKILL'), graceMs + 2000);
      await this.exitPromise;
      clearTimeout(timer);
    }
    // Anything left in the group.
    killGroup(this.group, 'SIGKILL');
    ALIVE.delete(this);
  }
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, sig);
  } catch {
    /* already gone */
  }
}

const ALIVE = new Set<ServiceProcess>();
// Last line of defence against orphans if headroom itself exits abruptly.
process.on('exit', () => {
  for (const s of ALIVE) killGroup(s.group, 'SIGKILL');
});
