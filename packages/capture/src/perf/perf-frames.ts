/**
 * Names for perf's frames in headroom's profiles. JIT frames of Node come from the
 * `/tmp/perf-<pid>.map` file V8 writes under `--perf-basic-prof` (v8/src/diagnostics/perf-jit.cc
 * and log.cc: `<Kind>:<marker><name> <script>:<line>:<column>`, the marker `*` optimized, `~`
 * interpreted, `^` baseline, `+` Maglev); they become the plain function name with the script as
 * file and the line, as the agent's profiles name them. Kernel frames are kept, marked `[k] `;
 * frames perf could not name are `[<dso file name>]`, or `[unknown]`.
 */
import { basename } from 'node:path';
import type { PerfFrame } from './perf-script.ts';

/** A frame as a pprof function: name, file, line (0 when unknown). */
export interface NamedFrame {
  name: string;
  file: string;
  line: number;
}

/** Prefix of kernel frames. */
export const KERNEL_PREFIX = '[k] ';

// Kinds of map entries that are JavaScript functions (older V8 wrote LazyCompile:/Function:).
const JS_KINDS = new Set(['JS', 'LazyCompile', 'Function', 'Script', 'Eval']);

/** The name, file and line headroom gives one perf frame. */
export function nameFrame(f: PerfFrame): NamedFrame {
  if (f.dso.startsWith('[kernel')) return { name: `${KERNEL_PREFIX}${f.symbol}`, file: f.dso, line: 0 };
  if (f.symbol === '[unknown]' || f.symbol === '') {
    const name = f.dso === '' || f.dso === '[unknown]' ? '[unknown]' : `[${basename(f.dso).replace(/^\[|\]$/g, '')}]`;
    return { name, file: f.dso, line: 0 };
  }
  if (/\/perf-\d+\.map$/.test(f.dso)) return nameJitFrame(f.symbol, f.dso);
  return { name: f.symbol, file: f.dso, line: 0 };
}

function nameJitFrame(symbol: string, dso: string): NamedFrame {
  const kind = /^([A-Za-z]+):(.*)$/.exec(symbol);
  if (!kind || !JS_KINDS.has(kind[1]!)) return { name: symbol, file: dso, line: 0 };
  const rest = kind[2]!.replace(/^[*~^+'"]+/, '');
  const space = rest.lastIndexOf(' ');
  const where = space >= 0 ? /^(.*?):(\d+)(?::\d+)?$/.exec(rest.slice(space + 1)) : null;
  if (!where) return { name: rest || '(anonymous)', file: '', line: 0 };
  return { name: rest.slice(0, space).trim() || '(anonymous)', file: where[1]!, line: Number(where[2]) };
}
