import type { FlowJson, NamedRequestsJson, PhaseJson } from './run-summary.ts';
import { formatTable } from './table.ts';
import { formatMs, formatPercent } from './units.ts';

/** What of a phase the scripted parts show: from a run's outcome, or read back from the store (scriptedPhases). */
export type ScriptedPhase = Pick<PhaseJson, 'phase' | 'parent' | 'requestsByName' | 'checks' | 'flows'>;

/** Whether a phase's table by request name says more than the phase's own row: several names, or flows. */
export function showsNames(p: ScriptedPhase): boolean {
  const n = p.requestsByName?.length ?? 0;
  return n > 1 || (n === 1 && p.flows !== undefined);
}

/** A name's errors with their rate and kinds: `50 (100.00%: http_5xx 50)`, or `0`. */
export function formatNameErrors(n: NamedRequestsJson): string {
  if (n.errors === 0) return '0';
  const kinds = Object.entries(n.errorsByKind).map(([k, v]) => `${k} ${v}`);
  return `${n.errors} (${formatPercent(n.errors / n.requests, 2)}: ${kinds.join(', ')})`;
}

/** A check's pass rate as the summary prints it (`90.00%`), 0 when it never ran. */
export function formatCheckRate(k: { passes: number; fails: number }): string {
  const total = k.passes + k.fails;
  return formatPercent(total === 0 ? 0 : k.passes / total, 2);
}

/** A flow's failed iterations with their share of those that started, as name errors are shown: `3 (0.10%)`, or `0`. */
export function formatFlowFailed(f: Pick<FlowJson, 'iterations' | 'failed'>): string {
  if (f.failed === 0) return '0';
  return `${f.failed} (${formatPercent(f.iterations === 0 ? 0 : f.failed / f.iterations, 2)})`;
}

/**
 * A flow's kept failure messages, most frequent first, and how many failed iterations are
 * behind none of them (the load keeps only the first few distinct messages per phase).
 */
export function flowMessages(f: Pick<FlowJson, 'failed' | 'messages'>): { messages: FlowJson['messages']; unlisted: number } {
  const messages = [...f.messages].sort((a, b) => b.count - a.count);
  return { messages, unlisted: Math.max(0, f.failed - messages.reduce((s, m) => s + m.count, 0)) };
}

/**
 * The top-level phases the run never finished, in order: a partial row's own name, or its
 * parent's for a step (flows are stored per top-level phase, when it ends).
 */
export function partialPhases(phases: readonly { name: string; parent: string | null; partial?: boolean }[]): string[] {
  return [...new Set(phases.filter((p) => p.partial === true).map((p) => p.parent ?? p.name))];
}

/** What a flow's dropped count means (from the open-model flow runner), for the reports' notes. */
export const FLOW_DROPPED_NOTE =
  "dropped: arrivals of an open phase that found every VU busy and the phase at its maxVus, so their iteration never started (k6's dropped_iterations); not counted in iterations, and closed phases drop none.";

type Paint = (code: 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold', s: string) => string;

/**
 * The per-endpoint, check and flow parts of a run summary: one table of request names per
 * phase (when there is more than one name, or the run was scripted), check pass rates (failed
 * checks are not errors), and flow iterations with the first error messages of those that threw.
 */
export function formatScripted(phases: readonly ScriptedPhase[], c: Paint): string[] {
  const out: string[] = [];
  const top = phases.filter((p) => p.parent === p.phase);
  for (const p of top) {
    if (!showsNames(p)) continue;
    const rows = (p.requestsByName ?? []).map((n) => [
      n.name,
      n.requests.toLocaleString('en-US'),
      n.errors === 0 ? '0' : c('red', formatNameErrors(n)),
      ...nameLatencyCells(n).map((v) => (v === null ? '-' : formatMs(v))),
    ]);
    out.push(
      '',
      `${c('bold', p.phase)} by request`,
      formatTable(['name', 'requests', 'errors', 'p50', 'p90', 'p99', 'max', 'svc p50', 'svc p99'], rows, {
        rightAlign: [false, true, true, true, true, true, true, true, true],
      }),
    );
  }
  const checkLines: string[] = [];
  for (const p of top)
    for (const k of p.checks ?? []) {
      const mark = k.fails === 0 ? c('green', '✓') : c('red', '✗');
      checkLines.push(`  ${mark} ${p.phase} ${k.name}: ${formatCheckRate(k)} passed (${k.passes} / ${k.passes + k.fails})`);
    }
  if (checkLines.length > 0) out.push('', c('bold', 'checks') + c('dim', ' (a failed check is not a request error)'), ...checkLines);
  const flowLines: string[] = [];
  for (const p of top)
    for (const f of p.flows ?? []) {
      const bad = [
        f.failed > 0 ? c('red', `${f.failed} failed`) : '',
        f.dropped > 0 ? c('yellow', `${f.dropped} dropped (no free VU)`) : '',
      ]
        .filter((x) => x !== '')
        .join(', ');
      flowLines.push(
        `  ${p.phase} ${f.name}: ${f.iterations.toLocaleString('en-US')} iterations${bad === '' ? '' : `, ${bad}`}; duration p50 ${formatMs(f.durationMs.p50)} p99 ${formatMs(f.durationMs.p99)} max ${formatMs(f.durationMs.max)}`,
      );
      for (const m of f.messages) flowLines.push(c('dim', `    ${m.count}× ${m.message}`));
    }
  if (flowLines.length > 0)
    out.push(
      '',
      c('bold', 'flows') + c('dim', ' (an open phase offers flow iterations a second; its achieved rate counts requests)'),
      ...flowLines,
    );
  return out;
}

/** A name's p50, p90, p99, max, service p50 and p99 (ms) for a table, nulls when it got no response. */
export function nameLatencyCells(n: NamedRequestsJson): (number | null)[] {
  const l = n.latencyMs;
  const s = n.serviceTimeMs;
  return [l?.p50 ?? null, l?.p90 ?? null, l?.p99 ?? null, l?.max ?? null, s?.p50 ?? null, s?.p99 ?? null];
}
