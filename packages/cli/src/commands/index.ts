/**
 * Every command's declaration: arguments, options with types and defaults, help text and
 * examples. The implementation modules load only when their command runs, so `--help`,
 * `--version` and light commands never pay for DuckDB, the load engine or the analysis code.
 */
import { UsageError } from '@headroom/core';
import type { Store } from '@headroom/store';
import type { InitAnswers } from '../init/answers.ts';
import type { CommandImpl, CommandSpec, OptionValues } from '../spec.ts';

const runRef = { name: 'run' };
const limit = (dflt: number, what: string) => ({ type: 'integer', placeholder: 'n', default: dflt, min: 1, description: what }) as const;
const phase = { type: 'string', placeholder: 'name', description: 'only this phase (or step, e.g. steps@300)' } as const;
const profileType = { type: 'string', placeholder: 'type', description: 'profile type: cpu, wall, heap (or a pprof sample type)' } as const;
const strings = (o: OptionValues): Record<string, string | boolean | undefined> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? String(v) : typeof v === 'object' ? v.join(',') : v]));

/** `headroom profile <sub>`: the shared profile command module, loaded when one of its subcommands runs. */
const profileSubcommand = (sub: string) => async (): Promise<CommandImpl> => {
  const m = await import('./profile.ts');
  return ({ args, store, out, options }) => m.profileCommand([sub, ...args], store as Store, out, strings(options));
};

/** The command table, in the order help lists it. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary: 'start the service, load it, store the run',
    args: [{ name: 'scenario.ts' }],
    store: 'run',
    description:
      'Validates the scenario (every problem at once, exit 2), starts the service pinned to service.cpus, polls its\nreadiness URL, runs the phases from pinned load workers, prints a summary and stores the run.',
    options: {
      report: { type: 'boolean', description: 'also write the HTML report to results/<run-id>/report.html and print its path' },
      segment: {
        type: 'string',
        placeholder: 'i/n',
        description: "run segment i of n of the load (i from 0, as Kubernetes' JOB_COMPLETION_INDEX); headroom merge joins the n stores",
      },
      'start-at': {
        type: 'string',
        placeholder: 'time',
        description: 'start phase 0 at this instant (ISO 8601 like 2026-12-03T18:40:00Z, or epoch ms), at most 24h ahead',
      },
    },
    examples: [
      'headroom run scenarios/quickstart.ts',
      'headroom run scenarios/quickstart.ts --report',
      'headroom run scenarios/quickstart.ts --json > result.json',
      'headroom run scenarios/orders.ts --segment 0/4 --start-at 2026-12-03T18:40:00Z --db results/segment-0.duckdb',
    ],
    load: async () => {
      const m = await import('./run.ts');
      return ({ args, db, out, signal, urgent, options }) =>
        m.runCommand(args[0] as string, db, out, signal, urgent, {
          report: options['report'] === true,
          segment: options['segment'] as string | undefined,
          startAt: options['start-at'] as string | undefined,
        });
    },
  },
  {
    name: 'init',
    summary: 'scaffold a scenario and a bench file for your service',
    args: [],
    store: 'none',
    description:
      'Writes scenarios/<name>.ts (commented) and scenarios/<name>.bench.ts, and adds results/ to .gitignore.\nAsks on a terminal for what the options do not say; without a terminal it uses the defaults and says which.',
    options: {
      name: { type: 'string', placeholder: 'name', description: "the scenario's name and file name (default: package.json's name)" },
      start: {
        type: 'string',
        placeholder: 'command',
        description: "the command that starts your service (default: node <package.json's main>, else node server.js)",
      },
      port: {
        type: 'integer',
        placeholder: 'port',
        min: 1,
        max: 65535,
        description: 'the port it listens on, given to it as PORT (default 3000)',
      },
      ready: { type: 'string', placeholder: 'path', description: 'the path that answers 2xx once it is ready (default /health)' },
      route: { type: 'string', placeholder: 'METHOD:/path', multiple: true, description: 'a request to load; GET:/ when none is given' },
      force: { type: 'boolean', description: 'overwrite scenario files that exist' },
    },
    examples: [
      'headroom init',
      'headroom init --name orders-api --start "node dist/server.js" --port 3000 --ready /health --route GET:/orders --route POST:/orders',
    ],
    load: async () => {
      const m = await import('./init.ts');
      return ({ out, options }) => {
        const str = (k: string) => options[k] as string | undefined;
        const given: Partial<InitAnswers> = {
          ...(str('name') === undefined ? {} : { name: str('name') }),
          ...(str('start') === undefined ? {} : { start: str('start') }),
          ...(options['port'] === undefined ? {} : { port: options['port'] as number }),
          ...(str('ready') === undefined ? {} : { ready: str('ready') }),
          ...(options['route'] === undefined ? {} : { routes: options['route'] as readonly string[] }),
        };
        return m.initCommand(process.cwd(), out, { given, force: options['force'] === true });
      };
    },
  },
  {
    name: 'bench',
    summary: 'microbenchmarks in pinned fresh processes',
    args: [{ name: 'file.bench.ts' }],
    store: 'run',
    options: { profile: { type: 'boolean', description: 'write a V8 CPU profile of every bench worker to results/<run-id>/profiles' } },
    examples: ['headroom bench scenarios/quickstart.bench.ts', 'headroom bench scenarios/quickstart.bench.ts --profile'],
    load: async () => {
      const m = await import('./bench.ts');
      return ({ args, db, out, signal, options }) =>
        m.benchCommand(args[0] as string, db, out, signal, { profile: options['profile'] === true });
    },
  },
  {
    name: 'compare',
    summary: 'medians, CIs, Mann-Whitney p-values, geomean (benchstat-style)',
    args: [{ name: 'baseline' }, { name: 'candidate' }],
    store: 'optional',
    description:
      'A side is a run (latest, latest~1, an id or prefix), a list a,b,c, a range A..B of one scenario, or a sample file\n(JSON {"unit", "benchmarks"} or Go benchmark text).',
    options: {
      alpha: { type: 'number', placeholder: 'p', default: 0.05, min: 0, max: 1, exclusive: true, description: 'significance level' },
      'noise-floor': { type: 'string', placeholder: 'pct', default: '1%', description: 'changes smaller than this never fail the gate' },
      'fail-on': {
        type: 'string',
        placeholder: 'what',
        choices: ['regression'],
        description: 'exit 1 when something got significantly worse',
      },
      markdown: { type: 'boolean', description: 'Markdown instead of the terminal table' },
      'max-change': {
        type: 'string',
        placeholder: 'pct',
        description: 'fail a worsening beyond this (e.g. 20%) even where one run a side cannot be judged; not a significance test',
      },
      scenario: {
        type: 'string',
        placeholder: 'name',
        description: 'resolve latest, latest~N and ranges within this scenario or bench (or write latest:<name>)',
      },
      force: { type: 'boolean', description: 'compare runs of different scenarios or phase sets anyway (never failed or empty runs)' },
    },
    examples: [
      'headroom compare latest~1 latest',
      'headroom compare latest~1:quickstart latest:quickstart --max-change 20%',
      'headroom compare latest~9..latest~5 latest~4..latest',
      'headroom compare old.txt new.txt --fail-on regression',
    ],
    load: async () => {
      const m = await import('./compare.ts');
      return ({ args, store, out, options }) =>
        m.compareCommand(args[0] as string, args[1] as string, store, out, {
          alpha: options['alpha'] as number,
          noiseFloor: m.parsePercentOption('noise-floor', options['noise-floor'] as string),
          ...(options['fail-on'] === 'regression' ? { failOn: 'regression' as const } : {}),
          markdown: options['markdown'] === true,
          ...(typeof options['max-change'] === 'string' ? { maxChange: m.parsePercentOption('max-change', options['max-change']) } : {}),
          ...(typeof options['scenario'] === 'string' ? { scenario: options['scenario'] } : {}),
          force: options['force'] === true,
        });
    },
  },
  {
    name: 'check',
    summary: 'the pre-release check: thresholds, SLO at the expected peak, budgets, regressions vs a git baseline',
    args: [{ name: 'scenario.ts' }],
    store: 'run',
    description:
      'Runs the scenario (--repeat N times: repeated runs are the unit of comparison), and the bench file it names (bench:), or judges\nstored runs (--runs), then evaluates each check with value, limit and verdict. Exit 0 all passed, 1 a check failed, 2 bad input, 3 a run failed (stored).\nWith $GITHUB_STEP_SUMMARY set, the Markdown report is appended to it.',
    options: {
      baseline: {
        type: 'string',
        placeholder: 'ref',
        description: 'git ref (runs at its merge base with HEAD), a sha, or run refs (ids, latest~N; bench runs too)',
      },
      repeat: {
        type: 'integer',
        placeholder: 'n',
        default: 1,
        min: 1,
        max: 50,
        description: 'run the scenario (and its bench file) n times',
      },
      runs: {
        type: 'string',
        placeholder: 'ids',
        description: 'judge these stored runs (comma-separated refs; bench runs too) instead of running',
      },
      'require-baseline': { type: 'boolean', description: 'a missing baseline fails the check instead of being a note' },
      'max-change': {
        type: 'string',
        placeholder: 'pct|off',
        default: '20%',
        description: 'fail a worsening beyond this where too few runs allow no significance test',
      },
      'noise-floor': { type: 'string', placeholder: 'pct', default: '1%', description: 'significant changes smaller than this never fail' },
      alpha: {
        type: 'number',
        placeholder: 'p',
        default: 0.05,
        min: 0,
        max: 1,
        exclusive: true,
        description: 'significance level of the regression tests',
      },
      markdown: { type: 'boolean', description: 'Markdown instead of the terminal table' },
      junit: { type: 'string', placeholder: 'file', description: 'write JUnit XML (one testcase per check) for Jenkins, GitLab, GitHub' },
    },
    examples: [
      'headroom check scenarios/release-check.ts --baseline main --repeat 6 --junit results/check.xml',
      'headroom check scenarios/release-check.ts --runs latest~2,latest~1,latest --baseline latest~5',
    ],
    load: async () => {
      const m = await import('./check.ts');
      const c = await import('./compare.ts');
      return ({ args, db, out, signal, urgent, options }) => {
        if (typeof options['runs'] === 'string' && (options['repeat'] as number) !== 1)
          throw new UsageError(
            'headroom check: --repeat runs the scenario, --runs judges stored runs instead of running; give one of them',
            'E_USAGE',
          );
        return m.checkCommand(args[0] as string, db, out, signal, urgent, {
          repeat: options['repeat'] as number,
          requireBaseline: options['require-baseline'] === true,
          markdown: options['markdown'] === true,
          maxChange: options['max-change'] === 'off' ? null : c.parsePercentOption('max-change', options['max-change'] as string, 'check'),
          noiseFloor: c.parsePercentOption('noise-floor', options['noise-floor'] as string, 'check'),
          alpha: options['alpha'] as number,
          ...(typeof options['baseline'] === 'string' ? { baseline: options['baseline'] } : {}),
          ...(typeof options['runs'] === 'string' ? { runs: options['runs'].split(',').map((r) => r.trim()) } : {}),
          ...(typeof options['junit'] === 'string' ? { junit: options['junit'] } : {}),
        });
      };
    },
  },
  {
    name: 'merge',
    summary: 'the segment runs of one scaled-out execution (run --segment i/n) as one run, histograms merged exactly',
    args: [{ name: 'bundle', variadic: true }],
    store: 'write',
    description:
      "A bundle is a segment's store file (its --db) or a folder written by headroom runs export. The segments must be one\nexecution: the same scenario and config, every index 0..n-1 once, started within 1 s of each other (the same --start-at).\nThe merged run is stored in --db with the scenario's thresholds judged on it; the summary and --json are a run's.\nExit 0, 1 a threshold failed, 2 the bundles are not one complete execution, 3 a segment did not complete.",
    options: {
      'start-at': {
        type: 'string',
        placeholder: 'iso',
        description: 'when the bundles hold several executions: the one whose segments started at this instant',
      },
    },
    examples: [
      'headroom merge /results/segment-*.duckdb --db results/headroom.duckdb',
      'headroom merge seg-0 seg-1 seg-2 --json > merged.json',
      'headroom merge /results/segment-*.duckdb --start-at 2026-12-03T18:40:00Z',
    ],
    load: async () => {
      const m = await import('./merge.ts');
      return ({ args, store, db, out, options }) =>
        m.mergeCommand(args, store as Store, db, out, {
          ...(typeof options['start-at'] === 'string' ? { startAt: options['start-at'] } : {}),
        });
    },
  },
  {
    name: 'report',
    summary: 'one self-contained HTML file (or Markdown) of a run: charts, flame graphs, traces, history',
    args: [{ name: 'run|scenario' }],
    store: 'read',
    description:
      'A scenario name means its latest run. The HTML file has all script, styles and data inline and makes no network request:\nit opens from file://, attaches to a CI job, and prints.',
    options: {
      output: { type: 'string', short: 'o', placeholder: 'file', description: 'where to write, - for stdout (default <run-id>.html)' },
      format: {
        type: 'string',
        placeholder: 'format',
        choices: ['html', 'md'],
        default: 'html',
        description: 'html, or md for a pull request or wiki',
      },
      baseline: { type: 'string', placeholder: 'run', description: 'a run to diff against: differential flame graphs, bench comparison' },
    },
    examples: [
      'headroom report latest -o report.html',
      'headroom report quickstart --baseline latest~1:quickstart',
      'headroom report latest --format md -o - >> "$GITHUB_STEP_SUMMARY"',
    ],
    load: async () => {
      const m = await import('./report.ts');
      return ({ args, store, out, options }) =>
        m.reportCommand(args[0] as string, store as Store, out, {
          format: options['format'] as 'html' | 'md',
          ...(typeof options['output'] === 'string' ? { output: options['output'] } : {}),
          ...(typeof options['baseline'] === 'string' ? { baseline: options['baseline'] } : {}),
        });
    },
  },
  {
    name: 'forecast',
    summary: "change points, trend and run-out date of a scenario's history (or a CSV series)",
    args: [{ name: 'scenario', required: false }],
    store: 'optional',
    description: [
      'Follows one metric over the stored runs of a scenario (a name, or its .ts file for budgets and traffic), oldest first:',
      'E-Divisive change points (seeded permutation test), the trend since the last one (OLS or Theil-Sen with prediction',
      'intervals), the value at the horizon and the date it crosses the budget. Dirty-tree and failed runs are left out',
      'unless asked for. --series runs the same analysis on a CSV (time,value[,sha]; ISO dates or Unix seconds).',
      "--leak <run> instead fits the slope of the service's RSS and heap over one run's longest phase (MB/hour).",
      '--json prints { points, changePoints, trend, forecast, crossing, summary }; notes go to stderr.',
    ].join('\n'),
    options: {
      metric: {
        type: 'string',
        placeholder: 'metric',
        default: 'headroom',
        description:
          'headroom | capacity | p99:<phase> | p50:<phase> | rate:<phase> | cpu-per-request[:<phase>] | rss[:<phase>] | bench:<task>',
      },
      horizon: {
        type: 'string',
        placeholder: 'span',
        description: 'how far ahead: 90d, 12w, 1y, or 10r (releases) with --per release (default 90d, 10r)',
      },
      budget: {
        type: 'number',
        placeholder: 'value',
        description:
          "the budget whose crossing is dated, in the metric's unit (ms, µs, MB, ns, req/s, x); default the scenario's (budgets.headroom, slo.p99, …)",
      },
      per: {
        type: 'string',
        placeholder: 'unit',
        choices: ['day', 'release'],
        default: 'day',
        description: 'trend per day of wall-clock time, or per run (release)',
      },
      method: {
        type: 'string',
        placeholder: 'fit',
        choices: ['ols', 'theil-sen'],
        default: 'ols',
        description: 'trend fit: least squares (exact intervals) or Theil-Sen (robust slope)',
      },
      'p-value': {
        type: 'number',
        placeholder: 'p',
        default: 0.05,
        min: 0,
        max: 1,
        exclusive: true,
        description: 'significance level of a change point',
      },
      traffic: {
        type: 'string',
        placeholder: 'peaks.csv',
        description: 'observed traffic peaks (time,rate): forecast headroom = capacity trend / peak trend',
      },
      series: { type: 'string', placeholder: 'file.csv', description: 'forecast this CSV (time,value[,sha]) instead of a stored history' },
      direction: {
        type: 'string',
        placeholder: 'side',
        choices: ['below', 'above'],
        description:
          "which side of --budget breaks it: below (headroom, capacity; --series' default) or above (latency, CPU; a stored metric's own side otherwise)",
      },
      leak: {
        type: 'string',
        placeholder: 'run',
        description: "leak and drift within a run: slope of the service's RSS and heap, MB/hour",
      },
      phase: { type: 'string', placeholder: 'name', description: 'with --leak: the phase to read (default the longest measured one)' },
      'include-dirty': { type: 'boolean', description: 'keep runs made from a dirty git tree' },
      'include-failed': { type: 'boolean', description: 'keep runs that failed, were interrupted or aborted' },
      markdown: { type: 'boolean', description: 'Markdown instead of the terminal report' },
    },
    examples: [
      'headroom forecast orders-api --budget 1.3',
      'headroom forecast orders-api --metric p99:steady --budget 50 --horizon 12w',
      'headroom forecast scenarios/orders-history.ts --metric cpu-per-request --per release',
      'headroom forecast orders-api --traffic peaks.csv --json',
      'headroom forecast --series headroom.csv --budget 1.3 --markdown >> $GITHUB_STEP_SUMMARY',
      'headroom forecast --leak latest',
    ],
    load: async () => {
      const m = await import('./forecast.ts');
      return async ({ args, store, out, options }) => {
        const str = (k: string) => options[k] as string | undefined;
        if (str('leak') !== undefined) {
          const leak = await import('./forecast-leak.ts');
          if (args[0] !== undefined || str('series') !== undefined)
            throw new UsageError('headroom forecast: --leak <run> takes no scenario and no --series');
          return leak.leakCommand(str('leak') as string, store, out, {
            ...(str('phase') ? { phase: str('phase') } : {}),
            markdown: options['markdown'] === true,
          });
        }
        return m.forecastCommand(args[0], store, out, {
          metric: str('metric') as string,
          ...(str('horizon') ? { horizon: str('horizon') } : {}),
          ...(options['budget'] === undefined ? {} : { budget: options['budget'] as number }),
          per: str('per') as 'day' | 'release',
          method: str('method') as 'ols' | 'theil-sen',
          pValue: options['p-value'] as number,
          ...(str('traffic') ? { traffic: str('traffic') } : {}),
          ...(str('series') ? { series: str('series') } : {}),
          ...(str('direction') ? { direction: str('direction') as 'above' | 'below' } : {}),
          includeDirty: options['include-dirty'] === true,
          includeFailed: options['include-failed'] === true,
          markdown: options['markdown'] === true,
        });
      };
    },
  },
  {
    name: 'capacity',
    summary: 'SLO-bounded capacity, binding limit, CPU budget, USL fit and headroom of a run',
    args: [{ name: 'run', required: false }],
    store: 'write',
    needsRuns: (options) => options['points'] === undefined,
    description:
      "Analyses the steps of a run's breakpoint (or last step) phase, or a capacity planner's own points (--points,\nheader concurrency,throughput[,p99_ms]), prints each figure and stores it in the capacity table.",
    options: {
      points: { type: 'string', placeholder: 'file.csv', description: 'fit your own measurements instead of a run' },
      'slo-p99': {
        type: 'string',
        placeholder: 'duration',
        description: 'with --points: the latency SLO judged against the p99_ms column, e.g. 50ms',
      },
      'expected-peak': {
        type: 'number',
        placeholder: 'req/s',
        min: 0,
        exclusive: true,
        description: 'with --points: the production peak, for headroom',
      },
    },
    examples: [
      'headroom capacity latest',
      'headroom capacity latest --json',
      'headroom capacity --points measured.csv --slo-p99 50ms --expected-peak 1500',
    ],
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
    name: 'k8s',
    summary: "a scenario's load as a Kubernetes Indexed Job, one segment per pod",
    args: [{ name: 'scenario.ts' }],
    store: 'none',
    description:
      'Prints a batch/v1 Job (YAML; --json for JSON) whose pods each run headroom run <scenario> --segment <index>/<n>\nwith one --start-at, writing segment-<index>.duckdb onto a shared volume; headroom merge then makes them one run.\nThe scenario loads an already running target (no service block) and must be inside this folder, as in the image.',
    options: {
      segments: { type: 'integer', placeholder: 'n', min: 1, max: 1000, description: 'how many pods (segments) share the load (required)' },
      image: { type: 'string', placeholder: 'image', description: 'an image holding this project with npm install done (required)' },
      'start-in': { type: 'string', placeholder: 'duration', description: 'the segments start together this long from now (default 2m)' },
      'start-at': {
        type: 'string',
        placeholder: 'time',
        description: 'or at this instant, as headroom run takes it (e.g. 2026-12-03T18:40:00Z)',
      },
      'results-claim': {
        type: 'string',
        placeholder: 'pvc',
        default: 'headroom-results',
        description: 'a ReadWriteMany PersistentVolumeClaim mounted at /results for the segment stores',
      },
      name: { type: 'string', placeholder: 'name', description: "the Job's name (default headroom-<scenario>-<yyyymmddhhmm>)" },
      namespace: { type: 'string', placeholder: 'ns', description: "the Job's namespace (default: kubectl's)" },
      cpus: {
        type: 'integer',
        placeholder: 'n',
        min: 1,
        description: "whole CPUs per pod, requests = limits (default: the scenario's workers.count + 1, or 2)",
      },
      memory: { type: 'string', placeholder: 'quantity', default: '1Gi', description: 'memory per pod' },
      workdir: { type: 'string', placeholder: 'path', default: '/app', description: "the project's folder inside the image" },
    },
    examples: [
      'headroom k8s scenarios/orders.ts --segments 4 --image registry.example/orders-load:1 | kubectl apply -f -',
      'headroom k8s scenarios/orders.ts --segments 8 --image registry.example/orders-load:1 --start-in 5m --cpus 2 > job.yaml',
    ],
    load: async () => {
      const m = await import('./k8s.ts');
      return ({ args, out, options }) => {
        for (const k of ['segments', 'image']) {
          if (options[k] === undefined)
            throw new UsageError(`headroom k8s: --${k} is required (see headroom k8s --help)`, 'E_OPTION_VALUE');
        }
        if (options['start-at'] !== undefined && options['start-in'] !== undefined) {
          throw new UsageError('headroom k8s: give --start-in or --start-at, not both', 'E_OPTION_VALUE');
        }
        const str = (k: string) => options[k] as string | undefined;
        return m.k8sCommand(args[0] as string, out, {
          segments: options['segments'] as number,
          image: options['image'] as string,
          ...(str('start-in') === undefined ? {} : { startIn: str('start-in') as string }),
          ...(str('start-at') === undefined ? {} : { startAt: str('start-at') as string }),
          resultsClaim: str('results-claim') as string,
          memory: str('memory') as string,
          workdir: str('workdir') as string,
          ...(str('name') === undefined ? {} : { name: str('name') as string }),
          ...(str('namespace') === undefined ? {} : { namespace: str('namespace') as string }),
          ...(options['cpus'] === undefined ? {} : { cpus: options['cpus'] as number }),
        });
      };
    },
  },
  {
    name: 'profile top',
    summary: 'top functions of a captured profile',
    args: [runRef],
    store: 'read',
    options: { phase, type: profileType, limit: limit(20, 'rows to show') },
    examples: ['headroom profile top latest', 'headroom profile top latest --type wall --phase steady'],
    load: profileSubcommand('top'),
  },
  {
    name: 'profile diff',
    summary: "per-function change, normalised by each side's total",
    args: [{ name: 'baseline-run' }, { name: 'candidate-run' }],
    store: 'read',
    options: { phase, type: profileType, limit: limit(20, 'rows to show') },
    examples: ['headroom profile diff latest~1 latest'],
    load: profileSubcommand('diff'),
  },
  {
    name: 'profile export',
    summary: 'a captured profile as pprof or speedscope',
    args: [runRef],
    store: 'read',
    options: {
      format: { type: 'string', placeholder: 'format', choices: ['pprof', 'speedscope'], default: 'pprof', description: 'output format' },
      phase,
      type: profileType,
      output: {
        type: 'string',
        short: 'o',
        placeholder: 'file',
        description: 'where to write (default: a name from the run id in the current folder)',
      },
    },
    examples: ['headroom profile export latest --format speedscope -o profile.json'],
    load: profileSubcommand('export'),
  },
  {
    name: 'profile slowest',
    summary: 'CPU samples of the slowest server spans as their own profile',
    args: [runRef],
    store: 'read',
    options: {
      limit: limit(10, 'how many of the slowest spans'),
      phase,
      output: { type: 'string', short: 'o', placeholder: 'file', description: 'where to write the pprof file' },
    },
    examples: ['headroom profile slowest latest --limit 5'],
    load: profileSubcommand('slowest'),
  },
  {
    name: 'traces slow',
    summary: "slowest sampled requests with the service's span tree",
    args: [runRef],
    store: 'read',
    options: { limit: limit(10, 'how many requests'), phase },
    examples: ['headroom traces slow latest --limit 3'],
    load: async () => {
      const m = await import('./traces.ts');
      return ({ args, store, out, options }) => m.tracesCommand(['slow', ...args], store as Store, out, strings(options));
    },
  },
  {
    name: 'runs ls',
    summary: 'list stored runs, newest first',
    args: [],
    store: 'read',
    options: { limit: limit(20, 'how many runs') },
    examples: ['headroom runs ls --limit 10'],
    load: async () => {
      const m = await import('./runs.ts');
      return ({ store, out, options }) => m.runsCommand(['ls'], store as Store, out, options['limit'] as number);
    },
  },
  {
    name: 'runs show',
    summary: 'one run: identity, phases, gates, warnings',
    args: [runRef],
    store: 'read',
    options: {},
    examples: ['headroom runs show latest', 'headroom runs show 20261121-2212 --json'],
    load: async () => {
      const m = await import('./runs.ts');
      return ({ args, store, out }) => m.runsCommand(['show', ...args], store as Store, out, 1);
    },
  },
  {
    name: 'runs sql',
    summary: 'SQL over the store (DuckDB)',
    args: [{ name: 'query', variadic: true }],
    store: 'read',
    options: {},
    examples: [
      'headroom runs sql "select id, status from runs"',
      `headroom runs sql "copy (select * from series) to 'series.parquet' (format parquet)"`,
    ],
    load: async () => {
      const m = await import('./runs.ts');
      return ({ args, store, out }) => m.runsCommand(['sql', ...args], store as Store, out, 1);
    },
  },
  {
    name: 'runs export',
    summary: 'runs with every row they have, as a folder of Parquet files (for CI artifacts)',
    args: [{ name: 'runs|scenario' }],
    store: 'read',
    description:
      'A scenario (or bench) name exports all its runs; otherwise give run refs, comma-separated (ids, latest, latest~N, latest:<name>).',
    options: {
      output: { type: 'string', short: 'o', placeholder: 'folder', default: 'headroom-runs', description: 'the folder to write' },
    },
    examples: ['headroom runs export quickstart -o base-runs', 'headroom runs export latest~2,latest -o base-runs'],
    load: async () => {
      const m = await import('./runs-transfer.ts');
      return ({ args, store, out, options }) => m.runsExportCommand(args[0] as string, options['output'] as string, store as Store, out);
    },
  },
  {
    name: 'runs import',
    summary: 'runs exported from another store (idempotent)',
    args: [{ name: 'folder' }],
    store: 'write',
    options: {},
    examples: ['headroom runs import base-runs'],
    load: async () => {
      const m = await import('./runs-transfer.ts');
      return ({ args, store, out }) => m.runsImportCommand(args[0] as string, store as Store, out);
    },
  },
];

/** Finds the command `argv` names ('runs ls' before 'runs'); `runs` alone means `runs ls`. */
export function findCommand(
  argv: readonly string[],
): { spec: CommandSpec; rest: string[] } | { group: string; subcommands: CommandSpec[] } | null {
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
