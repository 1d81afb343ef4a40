import { formatPercent } from './units.ts';

/** Below this share on every phase and side, the steal line is left out (bare metal, a quiet VM). */
const SHOWN_FROM = 0.01;

/** One phase's steal share (0..1) on the generator's and the service's CPUs; null where not measured. */
export interface PhaseSteal {
  phase: string;
  generator: number | null;
  service: number | null;
}

/**
 * The hypervisor's steal per phase, as the run summary and `runs show` print it under the phase
 * table, or null when no phase had 1% or more on either side.
 */
export function stealLine(phases: readonly PhaseSteal[]): string | null {
  const shown = phases.filter((p) => Math.max(p.generator ?? 0, p.service ?? 0) >= SHOWN_FROM);
  if (shown.length === 0) return null;
  const pct = (v: number | null) => (v === null ? '-' : formatPercent(v));
  return `hypervisor steal (time the host took from this VM's CPUs; it is in the figures), generator / service: ${shown
    .map((p) => `${p.phase} ${pct(p.generator)} / ${pct(p.service)}`)
    .join(', ')}`;
}

/** The steal line of a report's phases (ReportPhase), or null. */
export function phasesSteal(
  phases: readonly { name: string; steal?: { generator: number | null; service: number | null } }[],
): string | null {
  return stealLine(phases.map((p) => ({ phase: p.name, generator: p.steal?.generator ?? null, service: p.steal?.service ?? null })));
}
