/**
 * Reading `perf script` text: one header line per sample (command, pid/tid, CLOCK_MONOTONIC
 * time) followed by its callchain, leaf first, one frame a line (`<ip> <symbol> (<dso>)`), and
 * a blank line. The fields are asked for explicitly ({@link PERF_SCRIPT_ARGS}), so the layout
 * does not depend on perf's defaults for the event.
 */

/** The `perf script` arguments whose output {@link PerfScriptParser} reads. */
export const PERF_SCRIPT_ARGS = ['--ns', '-F', 'comm,pid,tid,time,ip,sym,dso'] as const;

/** One frame of a callchain: the symbol perf resolved (`[unknown]` when none) and the object it is in. */
export interface PerfFrame {
  symbol: string;
  dso: string;
}

/** One sample: who was on the CPU, when (CLOCK_MONOTONIC, nanoseconds), and its stack, leaf first. */
export interface PerfSample {
  comm: string;
  pid: number;
  tid: number;
  timeNs: number;
  frames: PerfFrame[];
}

// `MainThread 10596/10596   658.762093498:` (the command name may hold spaces).
const HEADER = /^(\S.*?)\s+(-?\d+)\/(-?\d+)\s+(\d+)\.(\d{1,9}):/;
// `	    7f938400b8d8 JS:*'burnKnown file:///tmp/pp/burn.mjs:1:19 (/tmp/perf-10596.map)`: the symbol
// may hold spaces and parentheses (`v8::internal::(anonymous namespace)::Invoke`), the dso is the last group.
const FRAME = /^\s+([0-9a-fA-F]+)\s+(.*?)\s*\(([^()]*)\)$/;

/** A line-at-a-time parser, so a long recording is never held as one string. */
export class PerfScriptParser {
  private current: PerfSample | null = null;
  private readonly onSample: (s: PerfSample) => void;
  /** Lines that were neither a header nor a frame (perf's own notices). */
  skipped = 0;

  constructor(onSample: (s: PerfSample) => void) {
    this.onSample = onSample;
  }

  line(text: string): void {
    if (text.trim() === '') {
      this.flush();
      return;
    }
    if (/^\s/.test(text)) {
      const m = FRAME.exec(text);
      if (m && this.current) this.current.frames.push({ symbol: m[2] === '' ? '[unknown]' : m[2]!, dso: m[3]! });
      else this.skipped++;
      return;
    }
    const h = HEADER.exec(text);
    if (!h) {
      this.skipped++;
      return;
    }
    this.flush();
    this.current = {
      comm: h[1]!,
      pid: Number(h[2]),
      tid: Number(h[3]),
      timeNs: Number(h[4]) * 1e9 + Number(h[5]!.padEnd(9, '0')),
      frames: [],
    };
  }

  /** Ends the last sample. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.current) this.onSample(this.current);
    this.current = null;
  }
}

/** Parses a whole `perf script` text (tests, small recordings). */
export function parsePerfScript(text: string): PerfSample[] {
  const out: PerfSample[] = [];
  const p = new PerfScriptParser((s) => out.push(s));
  for (const l of text.split('\n')) p.line(l);
  p.end();
  return out;
}
