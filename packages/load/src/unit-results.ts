import type { CheckEnd, FlowEnd, Histogram, NameEnd } from '@headroom/internal';
import { decodeHistogram } from '@headroom/internal';
import type { Request } from '@headroom/core';
import type { UnitStats } from './flows/unit-stats.ts';
import { sumChecks, sumFlows } from './flows/unit-stats.ts';
import { addNameEnd, encodeNameTotals, NameTable } from './name-table.ts';
import type { NameBucket } from './name-table.ts';
import type { Bucket } from './recorder.ts';

/** What a phase-end carries beside the unit's totals: per name, per check, per flow. */
export interface UnitExtras {
  names: NameEnd[];
  checks?: CheckEnd[];
  flows?: FlowEnd[];
}

/** A unit's per-name results: its table, and the bucket of each static request (null when the mix has one name). */
export function namesFor(
  unit: string,
  requests: readonly Request[],
  scripted: boolean,
): { names: NameTable; byIndex: NameBucket[] | null } {
  const names = new NameTable(unit);
  if (scripted || new Set(requests.map((r) => r.name)).size <= 1) return { names, byIndex: null };
  return { names, byIndex: requests.map((r) => names.get(r.name)) };
}

/**
 * The extras of an ending unit. A static mix of one name records nothing per name on the hot
 * path: that name's results are the unit's totals, exactly.
 */
export function unitExtras(
  total: Bucket,
  names: NameTable,
  byIndex: NameBucket[] | null,
  singleName: string | null,
  stats: UnitStats | null,
  into?: ParentExtras,
): UnitExtras {
  let list: NameEnd[];
  if (stats === null && byIndex === null && singleName !== null) {
    const c = total.counts();
    const e = total.encoded();
    list =
      c.requests === 0
        ? []
        : [{ name: singleName, requests: c.requests, ok: c.ok, errors: c.errors, hist: e.hist, serviceHist: e.serviceHist }];
    if (into !== undefined) for (const n of list) addNameEnd(into.names, n, decodeHistogram(n.hist), decodeHistogram(n.serviceHist));
  } else list = names.ends(into?.names);
  const out: UnitExtras = { names: list };
  if (stats !== null) {
    out.checks = stats.checkEnds();
    out.flows = stats.flowEnds();
    into?.checks.push(out.checks);
    into?.flows.push(out.flows);
  }
  return out;
}

/** A step phase's running per-name, check and flow totals over its steps. */
export interface ParentExtras {
  names: Map<string, { end: NameEnd; hist: Histogram; svc: Histogram }>;
  checks: CheckEnd[][];
  flows: FlowEnd[][];
  scripted: boolean;
}

export function newParentExtras(scripted: boolean): ParentExtras {
  return { names: new Map(), checks: [], flows: [], scripted };
}

/** The whole step phase's extras. */
export function parentExtras(p: ParentExtras): UnitExtras {
  const out: UnitExtras = { names: encodeNameTotals(p.names) };
  if (p.scripted) {
    out.checks = sumChecks(p.checks);
    out.flows = sumFlows(p.flows);
  }
  return out;
}
