/**
 * Every command's declaration: arguments, options with types and defaults, help text and
 * examples. The implementation modules load only when their command runs, so `--help`,
 * `--version` and light commands never pay for DuckDB, the load engine or the analysis code.
 */
import type { Store } from '@headroom/store';
import type { CommandSpec, OptionValues } from '../spec.ts';

const runRef = { name: 'run' };
const limit = (dflt: number, what: string) => ({ type: 'integer', placeholder: 'n', default: dflt, min: 1, description: what }) as const;
const phase = { type: 'string', placeholder: 'name', description: 'only this phase (or step, e.g. steps@300)' } as const;
const profileType = { type: 'string', placeholder: 'type', description: 'profile type: cpu, wall, heap (or a pprof sample type)' } as const;
const strings = (o: OptionValues): Record<string, string | boolean | undefined> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));

/** The command table, in the order help lists it. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run', summary: 'start the service, load it, store the run', args: [{ name: 'scenario.ts' }], store: 'write',
    description: 'Validates the scenario (every problem at once, exit 2), starts the service pinned to service.cpus, polls its\nreadiness URL, runs the phases from pinned load workers, prints a summary and stores the run.',
    options: {},
    examples: ['headroom run scenarios/quickstart.ts', 'headroom run scenarios/quickstart.ts --json > result.json'],
    load: async () => { const m = await import('./run.ts'); return ({ args, store, out, signal }) => m.runCommand(args[0] as string, store as Store, out, signal); },
  },
  {
    name: 'bench', summary: 'microbenchmarks in pinned fresh processes', args: [{ name: 'file.bench.ts' }], store: 'write',
    options: { profile: { type: 'boolean', description: 'write a V8 CPU profile of every bench worker to results/<run-id>/profiles' } },
    examples: ['headroom bench scenarios/quickstart.bench.ts', 'headroom bench scenarios/quickstart.bench.ts --profile'],
    load: async () => { const m = await import('./bench.ts'); return ({ args, store, out, signal, options }) => m.benchCommand(args[0] as string, store as Store, out, signal, { profile: options['profile'] === true }); },
  },
  {
    name: 'compare', summary: 'medians, CIs, Mann-Whitney p-values, geomean (benchstat-style)', args: [{ name: 'baseline' }, { name: 'candidate' }], store: 'optional',
    description: 'A side is a run (latest, latest~1, an id or prefix), a list a,b,c, a range A..B of one scenario, or a sample file\n(JSON {"unit", "benchmarks"} or Go benchmark text).',
    options: {
      alpha: { type: 'number', placeholder: 'p', default: 0.05, min: 0, max: 1, exclusive: true, description: 'significance level' },
      'noise-floor': { type: 'string', placeholder: 'pct', default: '1%', description: 'changes smaller than this never fail the gate' },
      'fail-on': { type: 'string', placeholder: 'what', choices: ['regression'], description: 'exit 1 when something got significantly worse' },
      markdown: { type: 'boolean', description: 'Markdown instead of the terminal table' },
    },
    examples: ['headroom compare latest~1 latest', 'headroom compare latest~9..latest~5 latest~4..latest', 'headroom compare old.txt new.txt --fail-on regression'],
    load: async () => {
      const m = await import('./compare.ts');
      return ({ args, store, out, options }) => m.compareCommand(args[0] as string, args[1] as string, store, out, {
        alpha: options['alpha'] as number, noiseFloor: m.parseNoiseFloor(options['noise-floor'] as string),
        ...(options['fail-on'] === 'regression' ? { failOn: 'regression' as const } : {}), markdown: options['markdown'] === true,
      });
    },
  },
  {
    name: 'capacity', summary: 'SLO-bounded capacity, binding limit, CPU budget, USL fit and headroom of a run', args: [{ name: 'run', required: false }], store: 'write',
    description: 'Analyses the steps of a run\'s breakpoint (or last step) phase, or a capacity planner\'s own points (--points,\nheader concurrency,throughput[,p99_ms]), prints each figure and stores it in the capacity table.',
    options: {
      points: { type: 'string', placeholder: 'file.csv', description: 'fit your own measurements instead of a run' },
      'slo-p99': { type: 'string', placeholder: 'duration', description: 'with --points: the latency SLO judged against the p99_ms column, e.g. 50ms' },
      'expected-peak': { type: 'number', placeholder: 'req/s', min: 0, exclusive: true, description: 'with --points: the production peak, for headroom' },
    },
    examples: ['headroom capacity latest', 'headroom capacity latest --json', 'headroom capacity --points measured.csv --slo-p99 50ms --expected-peak 1500'],
    load: async () => {
      const m = await import('./capacity.ts');
      const { parseDuration, UsageError } = await import('@headroom/core');
      return ({ args, store, out, options }) => {
        const slo = options['slo-p99'] as string | undefined;
        const d = slo === undefined ? undefined : parseDuration(slo);
        if (d && !d.ok) throw new UsageError(`headroom capacity: --slo-p99 ${d.message}; ${d.hint}`, 'E_OPTION_VALUE');
        return m.capacityCommand(args[0], store as Store | null, out, {
          ...(options['points'] === undefined ? {} : { points: options['points'] as string }),
          ...(d?.ok ? { sloP99Ms: d.value } : {}),
          ...(options['expected-peak'] === undefined ? {} : { expectedPeak: options['expected-peak'] as number }),
        });
      };
    },
  },
  {
    name: 'profile top', summary: 'top functions of a captured profile', args: [runRef], store: 'read',
    options: { phase, type: profileType, limit: limit(20, 'rows to show') },
    examples: ['headroom profile top latest', 'headroom profile top latest --type wall --phase steady'],
    load: async () => { const m = await import('./profile.ts'); return ({ args, store, out, options }) => m.profileCommand(['top', ...args], store as Store, out, strings(options)); },
  },
  {
    name: 'profile diff', summary: "per-function change, normalised by each side's total", args: [{ name: 'baseline-run' }, { name: 'candidate-run' }], store: 'read',
    options: { phase, type: profileType, limit: limit(20, 'rows to show') },
    examples: ['headroom profile diff latest~1 latest'],
    load: async () => { const m = await import('./profile.ts'); return ({ args, store, out, options }) => m.profileCommand(['diff', ...args], store as Store, out, strings(options)); },
  },
  {
    name: 'profile export', summary: 'a captured profile as pprof or speedscope', args: [runRef], store: 'read',
    options: {
      format: { type: 'string', placeholder: 'format', choices: ['pprof', 'speedscope'], default: 'pprof', description: 'output format' },
      phase, type: profileType, output: { type: 'string', short: 'o', placeholder: 'file', description: 'where to write (default: a name from the run id in the current folder)' },
    },
    examples: ['headroom profile export latest --format speedscope -o profile.json'],
    load: async () => { const m = await import('./profile.ts'); return ({ args, store, out, options }) => m.profileCommand(['export', ...args], store as Store, out, strings(options)); },
  },
  {
    name: 'profile slowest', summary: 'CPU samples of the slowest server spans as their own profile', args: [runRef], store: 'read',
    options: { limit: limit(10, 'how many of the slowest spans'), phase, output: { type: 'string', short: 'o', placeholder: 'file', description: 'where to write the pprof file' } },
    examples: ['headroom profile slowest latest --limit 5'],
    load: async () => { const m = await import('./profile.ts'); return ({ args, store, out, options }) => m.profileCommand(['slowest', ...args], store as Store, out, strings(options)); },
  },
  {
    name: 'traces slow', summary: "slowest sampled requests with the service's span tree", args: [runRef], store: 'read',
    options: { limit: limit(10, 'how many requests'), phase },
    examples: ['headroom traces slow latest --limit 3'],
    load: async () => { const m = await import('./traces.ts'); return ({ args, store, out, options }) => m.tracesCommand(['slow', ...args], store as Store, out, strings(options)); },
  },
  {
    name: 'runs ls', summary: 'list stored runs, newest first', args: [], store: 'read',
    options: { limit: limit(20, 'how many runs') },
    examples: ['headroom runs ls --limit 10'],
    load: async () => { const m = await import('./runs.ts'); return ({ store, out, options }) => m.runsCommand(['ls'], store as Store, out, options['limit'] as number); },
  },
  {
    name: 'runs show', summary: 'one run: identity, phases, gates, warnings', args: [runRef], store: 'read', options: {},
    examples: ['headroom runs show latest', 'headroom runs show 20261121-2212 --json'],
    load: async () => { const m = await import('./runs.ts'); return ({ args, store, out }) => m.runsCommand(['show', ...args], store as Store, out, 1); },
  },
  {
    name: 'runs sql', summary: 'SQL over the store (DuckDB)', args: [{ name: 'query', variadic: true }], store: 'read', options: {},
    examples: ['headroom runs sql "select id, status from runs"', `headroom runs sql "copy (select * from series) to 'series.parquet' (format parquet)"`],
    load: async () => { const m = await import('./runs.ts'); return ({ args, store, out }) => m.runsCommand(['sql', ...args], store as Store, out, 1); },
  },
];

/** Finds the command `argv` names ('runs ls' before 'runs'); `runs` alone means `runs ls`. */
export function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | { group: string; subcommands: CommandSpec[] } | null {
  const [a, b] = argv;
  const two = COMMANDS.find((c) => c.name === `${a} ${b}`);
  if (two) return { spec: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === a);
  if (one) return { spec: one, rest: argv.slice(1) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${a} `));
  if (group.length === 0) return null;
  if (a === 'runs' && (b === undefined || b.startsWith('-'))) return { spec: group[0] as CommandSpec, rest: argv.slice(1) };
  return { group: a as string, subcommands: group };
}
