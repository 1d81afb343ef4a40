/**
 * `headroom forecast <scenario>` and `headroom forecast --series file.csv`: reads a history
 * (the scenario's stored runs, or a user's CSV), hands it to the forecast analysis, and renders
 * the result. `--leak <run>` is the within-run variant (forecast-leak.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ExitCode, UsageError } from '@headroom/core';
import { forecastJson, forecastSeries, parseHorizon, parseSeriesCsv } from '@headroom/analysis';
import type { ForecastOptions, ForecastResult, SeriesPoint, TrafficInput } from '@headroom/analysis';
import { formatForecastMarkdown, formatForecastText, formatMetric } from '@headroom/report';
import type { ForecastReportInput } from '@headroom/report';
import { readLatestConfig, readMetricHistory, readScenarioNames } from '@headroom/store';
import type { Store } from '@headroom/store';
import type { Output } from '../output.ts';
import { parseForecastMetric, scenarioBudget, scenarioTraffic } from './forecast-metric.ts';

/** Options of {@link forecastCommand}, as the command line gives them. */
export interface ForecastCommandOptions {
  /** @default 'headroom' */
  metric: string;
  /** @default '90d', or '10r' with per 'release' */
  horizon?: string;
  budget?: number;
  /** @default 'day' */
  per: 'day' | 'release';
  /** @default 'ols' */
  method: 'ols' | 'theil-sen';
  /** Significance level of the change points. @default 0.05 */
  pValue: number;
  /** CSV of observed traffic peaks (`time,rate`). */
  traffic?: string;
  /** CSV of a series (`time,value[,sha]`) instead of a stored history. */
  series?: string;
  /** Which side of the budget breaks it: 'below' (headroom, capacity) or 'above' (latency, CPU). @default 'below' for --series, the metric's own otherwise */
  direction?: 'above' | 'below';
  includeDirty: boolean;
  includeFailed: boolean;
  markdown: boolean;
}

/** Runs the forecast; returns the exit code. */
export async function forecastCommand(
  scenarioArg: string | undefined,
  store: Store | null,
  out: Output,
  o: ForecastCommandOptions,
): Promise<number> {
  const horizon = o.horizon ?? (o.per === 'release' ? '10r' : '90d');
  withUsage(() => parseHorizon(horizon));
  const base: ForecastOptions = {
    horizon,
    method: o.method,
    basis: o.per === 'release' ? 'index' : 'time',
    changePoints: { pValue: o.pValue },
    ...(o.budget === undefined ? {} : { budget: o.budget }),
  };
  const observed = o.traffic === undefined ? null : readCsv(o.traffic, 'rate', out);
  const report =
    o.series !== undefined
      ? fromSeries(scenarioArg, o.series, base, observed, out, o.direction)
      : await fromStore(scenarioArg, store, base, observed, o);
  if (out.json) {
    // The JSON is exactly the contract; what people should know goes to stderr.
    for (const n of new Set([...(report.notes ?? []), ...report.result.notes])) out.log(`note: ${n}`);
    out.resultJson(forecastJson(report.result));
  } else out.result(o.markdown ? formatForecastMarkdown(report) : formatForecastText(report, { color: out.color }));
  return ExitCode.ok;
}

function fromSeries(
  scenarioArg: string | undefined,
  file: string,
  base: ForecastOptions,
  observed: SeriesPoint[] | null,
  out: Output,
  direction: 'above' | 'below' | undefined,
): ForecastReportInput {
  if (scenarioArg !== undefined) throw new UsageError(`headroom forecast: give a scenario or --series ${file}, not both`);
  const points = readCsv(file, 'value', out);
  const traffic: TrafficInput | undefined = observed ? { observed } : undefined;
  const result = analyse(points, {
    ...base,
    ...(direction === undefined ? {} : { direction }),
    ...(traffic ? { traffic } : {}),
    summary: { label: traffic ? 'Capacity' : `The series (${basename(file)})` },
  });
  return { title: basename(file), unit: '', ...(traffic ? { forecastUnit: 'x' } : {}), result };
}

async function fromStore(
  scenarioArg: string | undefined,
  store: Store | null,
  base: ForecastOptions,
  observed: SeriesPoint[] | null,
  o: ForecastCommandOptions,
): Promise<ForecastReportInput> {
  if (scenarioArg === undefined)
    throw new UsageError('headroom forecast: name a scenario (headroom forecast orders-api) or give --series file.csv or --leak <run>');
  const m = parseForecastMetric(o.metric);
  const { name, config: fileConfig } = await scenarioOf(scenarioArg);
  if (!store) throw new UsageError('no store yet: run the scenario first (headroom run <scenario.ts>) or pass --db <file>', 'E_NO_STORE');
  const names = await readScenarioNames(store);
  if (!names.includes(name)) {
    throw new UsageError(`no runs of scenario "${name}" in ${store.path}; scenarios with runs: ${names.join(', ') || 'none'}`, 'E_NO_RUNS');
  }
  const config = fileConfig ?? (await readLatestConfig(store, name));
  const notes: string[] = [];
  // Headroom with a traffic forecast is capacity over the growing peak: the history is capacity.
  const trafficSpec = observed ? { observed } : m.metric.kind === 'headroom' ? scenarioTraffic(config) : null;
  if (observed && m.metric.kind !== 'headroom')
    throw new UsageError('headroom forecast: --traffic goes with --metric headroom (capacity over the traffic peak)', 'E_OPTION_VALUE');
  const metric = trafficSpec ? { kind: 'capacity' as const } : m.metric;
  const history = await readMetricHistory(store, name, metric, { includeDirty: o.includeDirty, includeFailed: o.includeFailed });
  let budget = base.budget;
  const fromScenario = budget === undefined ? scenarioBudget(config, m.metric) : null;
  if (fromScenario) {
    budget = fromScenario.value;
    notes.push(`budget ${formatMetric(fromScenario.value, trafficSpec ? 'x' : history.unit)} from ${fromScenario.source}`);
  }
  const left = [
    history.excluded.dirty > 0 ? `${history.excluded.dirty} from a dirty tree (--include-dirty)` : '',
    history.excluded.failed > 0 ? `${history.excluded.failed} not completed (--include-failed)` : '',
    history.excluded.running > 0 ? `${history.excluded.running} still running` : '',
  ].filter(Boolean);
  if (left.length > 0) notes.push(`runs left out: ${left.join(', ')}`);
  notes.push(...history.notes);
  if (trafficSpec && 'peak' in trafficSpec)
    notes.push(`traffic from the scenario: peak ${trafficSpec.peak} req/s growing ${trafficSpec.growth} from the latest run`);
  const unit = history.unit;
  const result = analyse(
    history.points.map((p) => (p.gitSha ? { time: p.time, value: p.value, sha: p.gitSha } : { time: p.time, value: p.value })),
    {
      ...base,
      direction: o.direction ?? m.direction,
      ...(budget === undefined ? {} : { budget }),
      ...(trafficSpec ? { traffic: trafficSpec } : {}),
      summary: trafficSpec ? { label: 'Capacity' } : { label: m.label, format: (v) => formatMetric(v, unit) },
    },
  );
  return {
    title: `${name}: ${trafficSpec ? 'capacity / traffic peak' : m.label}`,
    unit,
    ...(trafficSpec ? { forecastUnit: 'x' } : {}),
    result,
    notes,
    runs: history.points.map((p) => ({ id: p.id, branch: p.gitBranch, dirty: p.gitDirty, status: p.status })),
  };
}

/** A scenario name, or a scenario file (its name, and its resolved config for budgets and traffic). */
async function scenarioOf(arg: string): Promise<{ name: string; config: unknown }> {
  if (/\.[cm]?[jt]s$/.test(arg) && existsSync(arg)) {
    const { loadScenario } = await import('@headroom/runner');
    const s = await loadScenario(arg);
    return { name: s.name, config: s };
  }
  return { name: arg, config: null };
}

function readCsv(file: string, valueColumn: 'value' | 'rate', out: Output): SeriesPoint[] {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`, 'E_FILE_NOT_FOUND');
  const parsed = parseSeriesCsv(readFileSync(file, 'utf8'), file, { valueColumn });
  for (const w of parsed.warnings) out.log(`headroom: ${file}: ${w}`);
  return parsed.points;
}

/** The analysis, with its RangeErrors (a bad horizon, growth or traffic file) turned into usage errors. */
function analyse(points: readonly SeriesPoint[], options: ForecastOptions): ForecastResult {
  return withUsage(() => forecastSeries(points, options));
}

function withUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`headroom forecast: ${err.message}`, 'E_OPTION_VALUE');
    throw err;
  }
}
