import type { Checker } from './checker.ts';
import { join } from './checker.ts';
import type { Threshold, ThresholdMetric } from './scenario.ts';
import { parseCount, parseDuration, parsePercent } from './units.ts';

const LATENCY: readonly ThresholdMetric[] = ['p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'];
const METRICS: readonly ThresholdMetric[] = [...LATENCY, 'rate', 'requests', 'errors', 'errorRate', 'lateSends', 'headroom', 'checkRate'];
/** `checks.rate`, `steady.checks.rate`, `checks{check:has id}.rate` (k6 writes `checks{tag:value}`). */
const CHECKS_RE = /^(?:(.+)\.)?checks(?:\{check:([^}]+)\})?\.rate$/;
/** `steady{name:report}.p99`: one request name within a scope. */
const NAMED_RE = /^(.+?)\{name:([^}]+)\}\.(.+)$/;

/** A parsed threshold key. */
export interface ThresholdKey {
  scope: string;
  metric: ThresholdMetric;
  request?: string;
  check?: string;
}
const OPS = ['<=', '>=', '==', '<', '>'] as const;
const EXPR_RE = /^\s*(<=|>=|==|<|>)\s*(\S+)\s*$/;

/** True for metrics measured in milliseconds. */
export function isLatencyMetric(m: ThresholdMetric): boolean {
  return LATENCY.includes(m);
}

/**
 * Splits a threshold key into scope and metric. `errors.rate` and `headroom` are
 * run-wide shorthands (k6 users write `errors.rate`); `steps@500.p99` addresses one step;
 * `steady{name:report}.p99` one request name; `checks.rate` and `checks{check:<name>}.rate`
 * the share of checks that passed.
 */
export function parseThresholdKey(key: string): ThresholdKey | { error: string } {
  if (key === 'headroom') return { scope: 'run', metric: 'headroom' };
  if (key === 'errors.rate') return { scope: 'run', metric: 'errorRate' };
  const chk = CHECKS_RE.exec(key);
  if (chk) return { scope: chk[1] ?? 'run', metric: 'checkRate', ...(chk[2] === undefined ? {} : { check: chk[2] }) };
  const named = NAMED_RE.exec(key);
  if (named) {
    const inner = parseThresholdKey(`${named[1]}.${named[3]}`);
    if ('error' in inner) return inner;
    if (inner.metric === 'headroom' || inner.metric === 'checkRate') return { error: `"${key}": ${inner.metric} is not per request name` };
    return { ...inner, request: named[2] as string };
  }
  const dot = key.lastIndexOf('.');
  if (dot <= 0) return { error: `"${key}" is not <phase>.<metric>` };
  let scope = key.slice(0, dot);
  let metric = key.slice(dot + 1);
  if (metric === 'rate' && scope.endsWith('.errors')) {
    scope = scope.slice(0, -'.errors'.length);
    metric = 'errorRate';
  }
  if (!METRICS.includes(metric as ThresholdMetric)) return { error: `unknown metric "${metric}"` };
  return { scope, metric: metric as ThresholdMetric };
}

/** Parses `'< 50ms'` for the given metric into op and value in the metric's base unit. */
export function parseThresholdExpression(
  expr: string,
  metric: ThresholdMetric,
): { op: Threshold['op']; value: number } | { error: string; hint: string } {
  const m = EXPR_RE.exec(expr);
  if (!m) return { error: `"${expr}" is not <op> <value>`, hint: `ops: ${OPS.join(' ')}; e.g. "< 50ms", ">= 1900", "< 0.1%"` };
  const op = m[1] as Threshold['op'];
  const raw = m[2] as string;
  if (isLatencyMetric(metric)) {
    const d = parseDuration(raw);
    return d.ok ? { op, value: d.value } : { error: d.message, hint: d.hint };
  }
  if (metric === 'errorRate' || metric === 'checkRate') {
    const p = parsePercent(raw);
    return p.ok ? { op, value: p.value } : { error: p.message, hint: p.hint };
  }
  const c = parseCount(raw);
  return c.ok ? { op, value: c.value } : { error: c.message, hint: c.hint };
}

/**
 * Validates the `thresholds` map; `scopes` are the phase and sub-phase names the run will report,
 * `invalid` the names of phases that failed validation (their thresholds are left unjudged here).
 */
export function checkThresholds(
  c: Checker,
  raw: unknown,
  path: string,
  scopes: ReadonlySet<string>,
  invalid: ReadonlySet<string> = new Set(),
): Threshold[] {
  const obj = c.object(raw, path, false);
  if (!obj) return [];
  const out: Threshold[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const p = join(path, key);
    const parsedKey = parseThresholdKey(key);
    if ('error' in parsedKey) {
      c.add(
        p,
        parsedKey.error,
        `keys look like 'steady.p99', 'steady.rate', 'steady.errorRate', 'errors.rate', 'headroom', 'steady{name:report}.p99' or 'checks.rate'; metrics: ${METRICS.join(', ')}`,
      );
      continue;
    }
    if (parsedKey.scope !== 'run' && !scopes.has(parsedKey.scope) && !invalid.has(parsedKey.scope.split('@')[0]!)) {
      const known = [...scopes, ...invalid];
      c.add(
        p,
        `no phase named "${parsedKey.scope}"`,
        known.length === 0 ? "'run' for the whole run" : `phases: ${known.join(', ')}, or 'run' for the whole run`,
      );
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const ip = Array.isArray(value) ? `${p}[${i}]` : p;
      const t = checkOne(c, item, ip);
      if (!t) return;
      const e = parseThresholdExpression(t.expression, parsedKey.metric);
      if ('error' in e) c.add(ip, e.error, e.hint);
      else out.push({ key, ...parsedKey, ...e, ...t });
    });
  }
  return out;
}

function checkOne(c: Checker, item: unknown, path: string) {
  if (typeof item === 'string') return { expression: item, abortOnFail: false, delayAbortEvalMs: 0 };
  const o = c.object(item, path);
  if (!o) return undefined;
  c.known(o, path, ['threshold', 'abortOnFail', 'delayAbortEval']);
  const expression = c.string(o['threshold'], join(path, 'threshold'));
  const abortOnFail = c.boolean(o['abortOnFail'], join(path, 'abortOnFail')) ?? false;
  const delay = o['delayAbortEval'] === undefined ? 0 : c.duration(o['delayAbortEval'], join(path, 'delayAbortEval'));
  if (expression === undefined || delay === undefined) return undefined;
  return { expression, abortOnFail, delayAbortEvalMs: delay };
}
