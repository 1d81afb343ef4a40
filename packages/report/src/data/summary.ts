/**
 * The report's one-sentence summary, in the voice of the CLI's: what ran, whether its gates
 * held, and the main measured phase's throughput and tail latency.
 */
import { formatCount, formatMs } from '../units.ts';
import type { ReportData } from './report-data.ts';

/** "quickstart completed and passed its 2 gates: steady carried 1,000 req/s (offered 1,000) at p99 34.5 ms (service time 4.2 ms), 0 errors." */
export function summarySentence(d: ReportData): string {
  const r = d.run;
  const gates = d.gates ?? [];
  const failed = gates.filter((g) => !g.passed);
  const verdict =
    gates.length === 0
      ? ''
      : failed.length === 0
        ? ` and passed its ${gates.length} gate${gates.length === 1 ? '' : 's'}`
        : ` and failed ${failed.length} of its ${gates.length} gates (${failed.map((g) => `${g.key} ${g.expression}`).join(', ')})`;
  const main = [...(d.phases ?? [])].reverse().find((p) => !p.warmup && p.requests > 0);
  let tail = '';
  if (main) {
    const rate = main.achievedRate === null ? '' : ` carried ${formatCount(main.achievedRate)} req/s`;
    const offered = main.offeredRate === null ? '' : ` (offered ${formatCount(main.offeredRate)})`;
    const p99 = main.latency.p99 === null ? '' : ` at p99 ${formatMs(main.latency.p99)}`;
    const svc =
      main.serviceTime.p99 !== null && main.serviceTime.p99 !== main.latency.p99 ? ` (service time ${formatMs(main.serviceTime.p99)})` : '';
    tail = `: ${main.name}${rate}${offered}${p99}${svc}, ${formatCount(main.errors)} error${main.errors === 1 ? '' : 's'}`;
  } else if (d.bench?.length) {
    tail = `: ${d.bench.length} benchmark task${d.bench.length === 1 ? '' : 's'}`;
  }
  return `${r.scenario} ${r.status}${verdict}${tail}.`;
}
