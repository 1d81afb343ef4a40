/**
 * A `perf record` of the service, run by the runner outside the service: every thread of the
 * process and the processes it starts later (perf's inherit), sampled `hz` times a second of
 * CPU time each, with call stacks and CLOCK_MONOTONIC timestamps. perf itself runs pinned to
 * the generator's CPUs, never the service's, in a process group of its own (a terminal's
 * Ctrl-C reaches headroom, which stops perf in order). It ends on its own when the service is
 * gone (its events hang up), so a killed headroom leaves no perf behind once the service
 * supervisor has stopped the service; a headroom that exits otherwise kills it on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pinned } from '@headroom/internal';
import type { PerfSetup } from './perf-check.ts';
import { PERF_SCRIPT_ARGS, PerfScriptParser, type PerfSample } from './perf-script.ts';

/** Options for {@link PerfRecorder.start}. */
export interface PerfRecordOptions {
  setup: PerfSetup;
  /** The service's pid. */
  pid: number;
  /** Samples per second of CPU time. */
  hz: number;
  /** How perf walks stacks: frame pointers, or DWARF over an 8 KiB copy of the stack per sample. */
  callGraph: 'fp' | 'dwarf';
  /** CPUs perf runs on (the generator's); none: not pinned. */
  cpus: readonly number[];
  /** Where perf writes its data file. */
  file: string;
  /** Called once if perf exits before it was asked to stop. */
  onEarlyExit?(message: string): void;
}

const STDERR_LINES = 10;
/** Stack bytes copied per sample for DWARF unwinding: deep enough for nginx-like event loops, and 8 KiB × hz a second to write. */
const DWARF_STACK_BYTES = 8192;
const ALIVE = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of ALIVE) if (c.pid !== undefined) kill(c.pid, 'SIGKILL');
});

/** One running `perf record`. */
export class PerfRecorder {
  readonly child: ChildProcess;
  readonly argv: string[];
  private readonly options: PerfRecordOptions;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stopping = false;
  private tail: string[] = [];

  private constructor(options: PerfRecordOptions) {
    this.options = options;
    const { setup, pid, hz, file } = options;
    const record = [
      setup.perf,
      'record',
      '-F',
      String(hz),
      '--call-graph',
      options.callGraph === 'dwarf' ? `dwarf,${DWARF_STACK_BYTES}` : 'fp',
      '--clockid',
      'CLOCK_MONOTONIC',
      '-e',
      setup.event,
      '-p',
      String(pid),
      '-o',
      file,
    ];
    this.argv = options.cpus.length > 0 ? pinned(options.cpus, record) : record;
    this.child = spawn(this.argv[0]!, this.argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    ALIVE.add(this.child);
    this.child.stderr?.on('data', (d: Buffer) => {
      this.tail.push(
        ...d
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      this.tail = this.tail.slice(-STDERR_LINES);
    });
    this.exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      this.child.on('error', (err) => {
        this.tail.push(err.message);
        resolve({ code: null, signal: null });
      });
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    }).then((r) => {
      ALIVE.delete(this.child);
      if (!this.stopping) options.onEarlyExit?.(`perf record exited during the run (${this.describe(r)})`);
      return r;
    });
  }

  /** Starts `perf record` on the service. */
  static start(options: PerfRecordOptions): PerfRecorder {
    return new PerfRecorder(options);
  }

  /** perf's pid (after taskset has exec'd into it). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * Stops the recording: SIGINT (perf writes its file and exits), SIGKILL after `timeoutMs`.
   * Resolves when perf is gone, with null when its file is complete or why it may not be.
   */
  async stop(timeoutMs: number): Promise<string | null> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null && this.pid > 0) kill(this.pid, 'SIGINT');
    const timer = setTimeout(() => kill(this.pid, 'SIGKILL'), timeoutMs);
    const r = await this.exited;
    clearTimeout(timer);
    if (r.signal === 'SIGKILL') return `perf record did not stop within ${timeoutMs} ms and was killed; its data may be cut short`;
    if (r.code !== 0 && r.signal !== 'SIGINT') return `perf record failed (${this.describe(r)})`;
    return null;
  }

  /** Reads the recording back through `perf script`, one sample at a time. Rejects when perf script fails. */
  async script(onSample: (s: PerfSample) => void): Promise<void> {
    const { setup, cpus, file } = this.options;
    const argv = [setup.perf, 'script', '-i', file, ...PERF_SCRIPT_ARGS];
    const cmd = cpus.length > 0 ? pinned(cpus, argv) : argv;
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    ALIVE.add(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2000);
    });
    const done = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const parser = new PerfScriptParser(onSample);
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) parser.line(line);
    parser.end();
    const code = await done.finally(() => ALIVE.delete(child));
    if (code !== 0) throw new Error(`perf script failed (code ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }

  private describe(r: { code: number | null; signal: NodeJS.Signals | null }): string {
    const how = r.signal ? `killed by ${r.signal}` : `code ${r.code}`;
    const last = this.tail.filter((l) => !l.startsWith('[ perf record:')).slice(-3);
    return last.length > 0 ? `${how}: ${last.join(' / ')}` : how;
  }
}

function kill(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
