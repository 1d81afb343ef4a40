/**
 * Validation of `budgets`: the limits capacity and `headroom check` hold a service to. Each
 * budget has one accepted form (an optional comparison, then a value with its unit); anything
 * else is a validation error that names the path and the accepted forms.
 */
import { Checker, join } from './checker.ts';
import type { Budgets } from './scenario.ts';
import { parseDuration, parsePercent } from './units.ts';

const BUDGET_KEYS = ['headroom', 'cpu', 'cpuPerRequest', 'rss', 'forecastHeadroom'];

/** The accepted forms of each budget, as the error messages and the README show them. */
export const BUDGET_FORMS: Readonly<Record<string, string>> = {
  headroom: "'>= 1.3' or 1.3 (capacity / expectedPeak, > 0)",
  cpu: "'< 60%' or '60%' (share of the service's CPU set, above 0%)",
  cpuPerRequest: "'< 120us' or '120us' (CPU time per request: us, ms)",
  rss: "'< 512MB' or '512MB' (KB, MB, GB)",
  forecastHeadroom: "{ horizon: '90d', min: 1.2 } (horizon in d or w; min > 0)",
};

const UPPER_RE = /^\s*(?:(<|<=)\s*)?(\S+)\s*$/;
const HEADROOM_RE = /^\s*(>=|>)?\s*(\d+(?:\.\d+)?)\s*$/;
const RSS_RE = /^(\d+(?:\.\d+)?)(KB|MB|GB)$/;
const RSS_UNITS: Record<string, number> = { KB: 1 / 1024, MB: 1, GB: 1024 };
const HORIZON_RE = /^(\d+(?:\.\d+)?)(d|w)$/;

/** Validates `budgets`; an absent field is null. */
export function checkBudgets(c: Checker, raw: unknown, hasExpectedPeak: boolean): Budgets {
  const none: Budgets = { headroom: null, cpu: null, cpuPerRequestUs: null, rssMb: null, forecastHeadroom: null };
  const o = c.object(raw, 'budgets', false);
  if (!o) return none;
  c.known(o, 'budgets', BUDGET_KEYS);
  const bad = (key: string, v: unknown) =>
    c.add(join('budgets', key), `${JSON.stringify(v)} is not a ${key} budget`, `write ${BUDGET_FORMS[key]}`);
  const upper = (key: string, parse: (s: string) => number | undefined): number | null => {
    const v = o[key];
    if (v === undefined) return null;
    const m = typeof v === 'string' ? UPPER_RE.exec(v) : null;
    const value = m ? parse(m[2] as string) : undefined;
    if (value === undefined || !(value > 0)) {
      bad(key, v);
      return null;
    }
    return value;
  };
  const headroom = (() => {
    const v = o['headroom'];
    if (v === undefined) return null;
    const m = typeof v === 'number' ? [String(v), '>=', String(v)] : typeof v === 'string' ? HEADROOM_RE.exec(v) : null;
    const value = m ? Number(m[2]) : NaN;
    if (!m || !(value > 0) || !Number.isFinite(value)) {
      bad('headroom', v);
      return null;
    }
    if (!hasExpectedPeak) c.add('budgets.headroom', 'needs expectedPeak', 'set expectedPeak: <req/s in production>');
    return { op: (m[1] ?? '>=') as '>=' | '>', value };
  })();
  const cpu = upper('cpu', (s) => {
    const p = parsePercent(s);
    return p.ok ? p.value : undefined;
  });
  const cpuPerRequestUs = upper('cpuPerRequest', (s) => {
    const d = parseDuration(s);
    return d.ok && d.value < 60_000 ? d.value * 1000 : undefined;
  });
  const rssMb = upper('rss', (s) => {
    const m = RSS_RE.exec(s);
    return m ? Number(m[1]) * (RSS_UNITS[m[2] as string] as number) : undefined;
  });
  let forecastHeadroom: Budgets['forecastHeadroom'] = null;
  if (o['forecastHeadroom'] !== undefined) {
    const f = o['forecastHeadroom'];
    const fo = typeof f === 'object' && f !== null && !Array.isArray(f) ? (f as Record<string, unknown>) : null;
    if (!fo) bad('forecastHeadroom', f);
    else {
      c.known(fo, 'budgets.forecastHeadroom', ['horizon', 'min']);
      const h = typeof fo['horizon'] === 'string' ? HORIZON_RE.exec(fo['horizon']) : null;
      if (!h) c.add('budgets.forecastHeadroom.horizon', `${JSON.stringify(fo['horizon'])} is not a horizon`, "write e.g. '90d' or '12w'");
      const min = c.number(fo['min'], 'budgets.forecastHeadroom.min', { exclusiveMin: 0 });
      if (h && min !== undefined) forecastHeadroom = { horizonDays: Number(h[1]) * (h[2] === 'w' ? 7 : 1), min };
    }
  }
  return { headroom, cpu, cpuPerRequestUs, rssMb, forecastHeadroom };
}
