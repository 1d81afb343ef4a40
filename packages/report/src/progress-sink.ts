import type { BusEvent, Sink } from '@headroom/runner';
import { formatMs } from './units.ts';

export interface ProgressSinkOptions {
  /** Where to draw. @default process.stderr */
  stream?: NodeJS.WriteStream;
  /** Colour output; off when NO_COLOR is set. @default stream.isTTY && !NO_COLOR */
  color?: boolean;
}

/** Live progress on a TTY: one line redrawn each second (phase, elapsed/total, req/s, errors, p99). */
export class ProgressSink implements Sink {
  readonly name = 'progress';
  readonly drawsWarnings = true;
  private readonly stream: NodeJS.WriteStream;
  private readonly color: boolean;
  private totalMs = 0;
  private startAt = 0;
  private phase = '';
  private phaseEnd = 0;
  private drawn = false;

  constructor(options: ProgressSinkOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.color = options.color ?? (Boolean(this.stream.isTTY) && !process.env['NO_COLOR']);
  }

  onEvent(e: BusEvent): void {
    switch (e.type) {
      case 'run-start':
        this.totalMs = e.totalMs;
        this.startAt = e.startAt;
        break;
      case 'phase-start':
        this.phase = e.phase;
        this.phaseEnd = e.startedAt + e.durationMs;
        break;
      case 'second':
        this.draw(e.sample.second, e.sample.counts.requests, e.sample.errors, e.sample.latency.p99Ms, e.sample.genCpu);
        break;
      case 'warning':
        this.clear();
        this.stream.write(`${this.paint('33', 'warning')} ${e.message}\n`);
        break;
      case 'run-end':
        this.clear();
        break;
      default:
        break;
    }
  }

  private draw(second: number, reqs: number, errors: number, p99: number, cpu: number): void {
    const elapsed = Math.min(this.totalMs / 1000, second + 1);
    const left = Math.max(0, Math.round((this.phaseEnd - (this.startAt + (second + 1) * 1000)) / 1000));
    const err = errors > 0 ? this.paint('31', `${errors} err`) : '0 err';
    const line = `${this.paint('36', this.phase.padEnd(10))} ${String(elapsed).padStart(4)}s/${Math.round(this.totalMs / 1000)}s  ${reqs.toLocaleString('en-US').padStart(8)} req/s  ${err}  p99 ${formatMs(p99).padStart(7)}  gen cpu ${Math.round(cpu * 100)}%  (${left}s left in phase)`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private paint(code: string, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }
}
