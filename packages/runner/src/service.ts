import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { RunFailedError, formatDuration, type Service } from '@headroom/core';
import { pinned } from '@headroom/internal';

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

/** A running service under test, pinned, with the tail of its output kept for error messages. */
export class ServiceProcess {
  readonly argv: string[];
  readonly child: ChildProcess;
  private tail: string[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exitPromise: Promise<void>;

  constructor(service: Service, options: StartServiceOptions = {}) {
    const [cmd, ...rest] = service.command;
    // `node` means the Node running headroom (24 LTS), not whatever is first on PATH.
    const exe = cmd === 'node' ? process.execPath : (cmd as string);
    const args = cmd === 'node' ? [...(options.nodeArgs ?? []), ...rest] : rest;
    this.argv = [exe, ...args];
    this.child = spawn('taskset', pinned(service.cpus, this.argv).slice(1), {
      cwd: service.cwd,
      env: { ...process.env, ...service.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so stop() reaches grandchildren too
    });
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
      if (this.tail.length > STDERR_LINES) this.tail = this.tail.slice(-STDERR_LINES);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exitPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        options.onExit?.(code, signal);
        resolve();
      });
      this.child.on('error', (err) => {
        this.tail.push(err.message);
        this.exited ??= { code: null, signal: null };
        resolve();
      });
    });
    ALIVE.add(this);
  }

  get pid(): number {
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
    const tail = this.tail.length ? `\n  last output:\n${this.tail.slice(-10).map((l) => `    ${l}`).join('\n')}` : '\n  (it printed nothing)';
    return `service \`${this.argv.map((a) => basename(a) === a ? a : a).join(' ')}\` ${how}${tail}`;
  }

  /** Polls `url` until it answers 2xx; fails with the command, its exit and its output. */
  async waitReady(url: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
    const start = performance.now();
    let last = 'no answer yet';
    while (performance.now() - start < timeoutMs) {
      if (signal?.aborted) throw signal.reason;
      if (this.exited) throw new RunFailedError('E_SERVICE_EXITED', `the service exited before it was ready at ${url}: ${this.describeExit()}`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.ok) return performance.now() - start;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new RunFailedError('E_SERVICE_NOT_READY', `the service was not ready at ${url} within ${formatDuration(timeoutMs)} (last: ${last}); raise service.readyTimeout or fix the readiness URL\n  ${this.describeExit()}`);
  }

  /** SIGTERM to the process group, SIGKILL after the grace period. */
  async stop(graceMs: number): Promise<void> {
    if (!this.exited) {
      killGroup(this.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), graceMs);
      await this.exitPromise;
      clearTimeout(timer);
    }
    // Children the service left behind in its group.
    killGroup(this.pid, 'SIGKILL');
    ALIVE.delete(this);
  }
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}

const ALIVE = new Set<ServiceProcess>();
// Last line of defence against orphans if headroom itself exits abruptly.
process.on('exit', () => { for (const s of ALIVE) killGroup(s.pid, 'SIGKILL'); });
