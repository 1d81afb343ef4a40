import { isAbsolute, relative, resolve } from 'node:path';
import { UsageError, ValidationError, parseDuration, segmentIssues } from '@headroom/core';
import { loadScenario } from '@headroom/runner';
import { defaultJobName, jobManifest, segmentStorePath } from '../k8s/job-manifest.ts';
import { toYaml } from '../k8s/yaml.ts';
import { parseRunOptions } from '../run-options.ts';
import type { Output } from '../output.ts';

/** `headroom k8s` options, as parsed. */
export interface K8sCommandOptions {
  segments: number;
  image: string;
  /** @default '2m' */
  startIn?: string;
  startAt?: string;
  resultsClaim: string;
  name?: string;
  namespace?: string;
  cpus?: number;
  memory: string;
  workdir: string;
}

/** `headroom k8s <scenario>`: the scenario's load as an Indexed Job, one `--segment` per pod. */
export async function k8sCommand(file: string, out: Output, o: K8sCommandOptions, now = new Date()): Promise<number> {
  const rel = relative(process.cwd(), resolve(file));
  if (isAbsolute(rel) || rel.startsWith('..')) {
    throw new UsageError(
      `headroom k8s: ${file} is outside this folder; the pods run it from the image's project folder (--workdir), so run headroom k8s from your project's root with the scenario's path inside it`,
      'E_OPTION_VALUE',
    );
  }
  const scenario = await loadScenario(file);
  // The pods run it as segments: what cannot be split is refused here, before anything reaches the cluster.
  const issues = segmentIssues(scenario, { index: 0, count: o.segments });
  if (issues.length > 0) throw new ValidationError(`${file} cannot run as ${o.segments} segments`, issues);
  const startAt = resolveStart(o, now);
  const name = o.name ?? defaultJobName(scenario.name, now);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    throw new UsageError(
      `headroom k8s: --name ${JSON.stringify(name)} is not a Kubernetes Job name: lower-case letters, digits and '-', at most 63`,
      'E_OPTION_VALUE',
    );
  }
  const job = jobManifest({
    scenario: scenario.name,
    file: rel.split('\\').join('/'),
    segments: o.segments,
    image: o.image,
    workdir: o.workdir,
    startAt,
    name,
    resultsClaim: o.resultsClaim,
    // A worker and headroom's own process each want a core; a count the scenario leaves to the machine is 2 here, not this laptop's.
    cpus: o.cpus ?? (scenario.workers.auto?.count === true ? 2 : scenario.workers.count + 1),
    memory: o.memory,
    ...(o.namespace ? { namespace: o.namespace } : {}),
  });
  out.log(`${o.segments} segments of ${scenario.name} start together at ${startAt}: apply before then (kubectl apply -f <file>)`);
  out.log(
    `then, from a pod that mounts ${o.resultsClaim}: headroom merge ${segmentStorePath(name).replace('$(HEADROOM_SEGMENT_INDEX)', '*')}`,
  );
  if (out.json) out.resultJson(job);
  else out.result(toYaml(job).trimEnd());
  return 0;
}

function resolveStart(o: K8sCommandOptions, now: Date): string {
  // The pods pass it to headroom run --start-at: checked here as run checks it, so no pod is refused later.
  if (o.startAt !== undefined)
    return new Date(parseRunOptions({ startAt: o.startAt }, now.getTime(), 'k8s').startAt as number).toISOString();
  const d = parseDuration(o.startIn ?? '2m');
  if (!d.ok) throw new UsageError(`headroom k8s: --start-in ${d.message}; ${d.hint}`, 'E_OPTION_VALUE');
  if (d.value < 10_000)
    throw new UsageError('headroom k8s: --start-in must leave the pods at least 10s to be scheduled and start (e.g. 2m)', 'E_OPTION_VALUE');
  return new Date(now.getTime() + d.value).toISOString();
}
