import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePointsCsv } from '@headroom/analysis';
import { UsageError } from '@headroom/core';
import { formatCapacityText, toCapacityJson } from '@headroom/report';
import { capacityOfPoints, capacityOfRun } from '@headroom/runner';
import type { Store } from '@headroom/store';
import type { Output } from '../output.ts';

/** Options of `headroom capacity`. */
export interface CapacityCommandOptions {
  points?: string;
  sloP99Ms?: number;
  expectedPeak?: number;
}

/** `headroom capacity <run>` or `--points file.csv`: analyse, store, print. */
export async function capacityCommand(
  ref: string | undefined,
  store: Store | null,
  out: Output,
  o: CapacityCommandOptions,
): Promise<number> {
  let result;
  if (o.points !== undefined) {
    if (ref !== undefined) throw new UsageError('headroom capacity: give a run or --points <file.csv>, not both');
    const file = resolve(o.points);
    if (!existsSync(file)) throw new UsageError(`no file ${file}`, 'E_FILE_NOT_FOUND');
    result = await capacityOfPoints(parsePointsCsv(readFileSync(file, 'utf8'), file), file, {
      ...(o.sloP99Ms === undefined ? {} : { sloP99Ms: o.sloP99Ms }),
      ...(o.expectedPeak === undefined ? {} : { expectedPeak: o.expectedPeak }),
      store,
    });
  } else {
    if (ref === undefined)
      throw new UsageError('headroom capacity: missing <run> (or --points <file.csv>); usage: headroom capacity <run> [options]');
    if (o.sloP99Ms !== undefined || o.expectedPeak !== undefined)
      throw new UsageError(
        'headroom capacity: --slo-p99 and --expected-peak are for --points; a run takes them from its scenario',
        'E_OPTION_VALUE',
      );
    if (!store)
      throw new UsageError('no store yet; run something first (headroom run scenarios/capacity.ts) or pass --db <file>', 'E_NO_STORE');
    result = await capacityOfRun(store, ref);
  }
  const json = toCapacityJson(result);
  if (out.json) out.resultJson(json);
  else out.result(formatCapacityText(json, { color: out.color }));
  return 0;
}
