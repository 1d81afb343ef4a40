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
  const problems = optionProblems(o);
  if (problems.length > 0)
    throw new UsageError(
      problems.length === 1
        ? `headroom k8s: ${problems[0]}`
        : `headroom k8s: ${problems.length} problems\n${problems.map((p) => `  ${p}`).join('\n')}`,
      'E_OPTION_VALUE',
    );
  const scenario = await loadScenario(file);
  // The pods run it as segments: what cannot be split is refused here, before anything reaches the cluster.
  const issues = segmentIssues(scenario, { index: 0, count: o.segments });
  if (issues.length > 0) throw new ValidationError(`${file} cannot run as ${o.segments} segments`, issues);
  const startAt = resolveStart(o, now);
  const name = o.name ?? defaultJobName(scenario.name, now);
  if (!DNS_LABEL.test(name)) {
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

/** A DNS-1123 label (namespaces, Job names), as the Kubernetes API validates it. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain (PersistentVolumeClaim names). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes memory quantity: a number and an optional suffix (Ki, Mi, Gi… or k, M, G…). */
const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const SUFFIX_BYTES: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
/** Less memory than this cannot hold Node, the load workers and DuckDB: surely a missing unit. */
const MIN_MEMORY_BYTES = 128 * 2 ** 20;

/** What is wrong with the options that go into the Job as they are, each with its fix; the API server would refuse the Job later. */
function optionProblems(o: K8sCommandOptions): string[] {
  const problems: string[] = [];
  if (o.image.trim() === '' || /[\s\u0000-\u001f]/.test(o.image))
    problems.push(`--image ${JSON.stringify(o.image)} is not an image reference: give one like registry.example.com/team/load:1.4`);
  const m = QUANTITY.exec(o.memory);
  if (!m) problems.push(`--memory ${JSON.stringify(o.memory)} is not a Kubernetes quantity: give one like 1Gi or 512Mi`);
  else if (Number(m[1]) * (SUFFIX_BYTES[m[2] ?? ''] ?? 1) < MIN_MEMORY_BYTES)
    problems.push(`--memory ${o.memory} is under 128Mi, too little for headroom's processes (a unit missing?): give e.g. 1Gi`);
  if (o.namespace !== undefined && !DNS_LABEL.test(o.namespace))
    problems.push(
      `--namespace ${JSON.stringify(o.namespace)} is not a Kubernetes namespace: lower-case letters, digits and '-', at most 63`,
    );
  if (!DNS_SUBDOMAIN.test(o.resultsClaim))
    problems.push(
      `--results-claim ${JSON.stringify(o.resultsClaim)} is not a PersistentVolumeClaim name: lower-case letters, digits, '-' and '.', at most 253`,
    );
  if (!o.workdir.startsWith('/'))
    problems.push(`--workdir ${JSON.stringify(o.workdir)} must be an absolute path in the image (e.g. /app), where the project is`);
  return problems;
}
