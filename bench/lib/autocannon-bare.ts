/** Runs autocannon through its own API with the options in argv[2] (JSON) and prints its result as JSON. */
import { createRequire } from 'node:module';

const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<unknown>;
const o = JSON.parse(process.argv[2] ?? '{}') as { url: string; connections: number; seconds: number; overallRate?: number };
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  ...(o.overallRate ? { overallRate: o.overallRate } : {}),
});
process.stdout.write(JSON.stringify(result));
