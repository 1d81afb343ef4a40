/** The piscina task of thread isolation: one measurement in a fresh worker thread. */
import type { Measurement, MeasureJob } from './protocol.ts';
import { measure } from './measure.ts';

export default function run(job: MeasureJob): Promise<Measurement> {
  return measure(job);
}
