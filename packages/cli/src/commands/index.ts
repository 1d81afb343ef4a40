import { UsageError } from '@headroom/core';
import type { Store } from '@headroom/store';
import type { Output } from '../output.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
import { benchCommand } from './bench.ts';
import { compareCommand, parseCompareFlags } from './compare.ts';
import { profileCommand } from './profile.ts';
import { tracesCommand } from './traces.ts';

/** What every command receives. */
export interface CommandContext {
  args: string[];
  values: Record<string, string | boolean | undefined>;
  store: Store | null;
  out: Output;
  signal: AbortSignal;
}

export interface Command {
  /** Whether the command writes the store, reads it, uses it when it exists, or does not use it. */
  store: 'write' | 'read' | 'optional' | 'none';
  run(ctx: CommandContext): Promise<number>;
}

function need(args: string[], n: number, usage: string): void {
  if (args.length < n) throw new UsageError(`usage: ${usage}`);
}

export const COMMANDS: Record<string, Command> = {
  run: {
    store: 'write',
    run: ({ args, store, out, signal }) => { need(args, 1, 'headroom run <scenario.ts>'); return runCommand(args[0] as string, store as Store, out, signal); },
  },
  bench: {
    store: 'write',
    run: ({ args, store, out, signal, values }) => { need(args, 1, 'headroom bench <file.bench.ts> [--profile]'); return benchCommand(args[0] as string, store as Store, out, signal, { profile: values['profile'] === true }); },
  },
  compare: {
    store: 'optional',
    run: ({ args, store, out, values }) => {
      need(args, 2, 'headroom compare <baseline> <candidate> [--alpha 0.05] [--noise-floor 1%] [--fail-on regression] [--markdown]');
      return compareCommand(args[0] as string, args[1] as string, store, out, parseCompareFlags(values));
    },
  },
  profile: {
    store: 'read',
    run: ({ args, store, out, values }) => profileCommand(args, store as Store, out, values),
  },
  traces: {
    store: 'read',
    run: ({ args, store, out, values }) => tracesCommand(args, store as Store, out, values),
  },
  runs: {
    store: 'read',
    run: ({ args, store, out, values }) => runsCommand(args, store as Store, out, Number(values['limit'] ?? 20)),
  },
};

export const HELP = `headroom — load tests, microbenchmarks, profiles and honest comparisons

usage: headroom <command> [options]

commands
  run <scenario.ts>              start the service, load it, store the run
  bench <file.bench.ts>          microbenchmarks in pinned fresh processes (--profile for CPU profiles)
  compare <baseline> <candidate> medians, CIs, Mann-Whitney p-values, geomean (benchstat-style)
                                 sides: run ids, latest~N, lists a,b,c, ranges A..B, or sample
                                 files (JSON, Go benchmark text); --alpha, --noise-floor,
                                 --fail-on regression, --markdown
  profile top <run>              top functions of a captured profile (--phase, --type cpu|wall|heap, --limit)
  profile diff <base> <cand>     per-function change, normalised by each side's total, biggest movers first
  profile export <run>           --format pprof|speedscope [-o file] (go tool pprof, speedscope.app)
  profile slowest <run>          CPU samples of the slowest server spans as their own profile
  traces slow <run>              slowest sampled requests with the service's span tree (--limit, --phase)
  runs ls                        list stored runs (--limit N)
  runs show <run>                one run: identity, phases, gates, warnings
  runs sql "<query>"             SQL over the store (DuckDB)

runs are named by id, id prefix, latest or latest~N

options
  --db <file>    the store (default results/headroom.duckdb, or $HEADROOM_DB)
  --json         machine-readable result on stdout, logs on stderr
  -h, --help     this help          -v, --version   headroom's version

exit codes: 0 ok · 1 threshold/gate failed · 2 bad input · 3 run failed · 130 interrupted`;
