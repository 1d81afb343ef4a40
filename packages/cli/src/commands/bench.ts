import { formatBenchSummary } from '@headroom/report';
import { runBenchFile } from '@headroom/runner';
import type { Output } from '../output.ts';

export interface BenchCommandOptions {
  /** Capture a V8 CPU profile of every bench worker into results/<run-id>/profiles. @default false */
  profile?: boolean;
}

/** `headroom bench <file>`: pinned, interleaved, fresh-process repetitions, stored raw. */
export async function benchCommand(
  file: string,
  db: string,
  out: Output,
  signal: AbortSignal,
  options: BenchCommandOptions = {},
): Promise<number> {
  const r = await runBenchFile(file, {
    db,
    signal,
    profile: options.profile ?? false,
    progress: out.tty && !out.json,
    log: (l) => out.log(l),
  });
  if (r.profilesDir) out.log(`CPU profiles (V8 .cpuprofile: Chrome DevTools, speedscope) in ${r.profilesDir}`);
  if (out.json)
    out.resultJson({ runId: r.runId, bench: r.bench, status: r.status, cpus: r.cpus, tasks: r.tasks, warnings: r.warnings, db });
  else out.result(formatBenchSummary({ runId: r.runId, name: r.bench, status: r.status, tasks: r.tasks, db, isolation: r.isolation }));
  return r.exitCode;
}
