/**
 * Forecast horizons as users write them: "90d", "12w", "1y" for time-based trends and "10r"
 * (releases) for index-based ones.
 */
import { DAY_MS } from './series.ts';

/** A parsed horizon: a span of time or a number of releases. */
export type Horizon = { unit: 'time'; ms: number; text: string } | { unit: 'releases'; releases: number; text: string };

const HORIZON_RE = /^(\d+(?:\.\d+)?)(d|w|y|r)$/;
const UNIT_DAYS: Record<string, number> = { d: 1, w: 7, y: 365.25 };

/** Parses a horizon; throws RangeError with what is accepted. */
export function parseHorizon(text: string): Horizon {
  const m = HORIZON_RE.exec(text.trim());
  if (!m || !(Number(m[1]) > 0)) {
    throw new RangeError(`"${text}" is not a horizon: write a number followed by d, w, y (days, weeks, years) or r (releases), e.g. "90d"`);
  }
  const n = Number(m[1]);
  if (m[2] === 'r') return { unit: 'releases', releases: n, text };
  return { unit: 'time', ms: n * (UNIT_DAYS[m[2] as string] as number) * DAY_MS, text };
}
