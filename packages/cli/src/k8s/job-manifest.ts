/**
 * A scenario's load as a Kubernetes Indexed Job: one pod per segment, each running
 * `headroom run <scenario> --segment <index>/<n>` with the same `--start-at`, writing its own
 * store onto a shared volume for `headroom merge`. Kubernetes runs the pods; headroom adds no
 * cluster protocol of its own (DESIGN.md: scale-out goes to an existing engine).
 *
 * Facts used (Kubernetes docs, "Jobs" and "Indexed Job for Parallel Processing with Static Work
 * Assignment"): `completionMode: Indexed` gives each pod an index 0…completions−1 in the
 * annotation batch.kubernetes.io/job-completion-index, readable through the downward API;
 * `$(VAR)` in a container's args expands a variable of its env. A pod whose requests equal its
 * limits with whole CPUs is in the Guaranteed QoS class, which the kubelet's static CPU manager
 * gives exclusive cores.
 */
import type { YamlValue } from './yaml.ts';

/** What the Job needs besides the scenario. */
export interface JobManifestOptions {
  /** The scenario's name (labels and the default Job name). */
  scenario: string;
  /** The scenario file, relative to `workdir`, as `headroom run` is given it. */
  file: string;
  /** How many segments (pods). */
  segments: number;
  /** An image holding the project with headroom installed (npm install done). */
  image: string;
  /** The project's folder inside the image. @default '/app' */
  workdir?: string;
  /** ISO instant at which every segment starts its phase 0. */
  startAt: string;
  /** The Job's name (DNS-1123, at most 63 characters). */
  name: string;
  /** A ReadWriteMany PersistentVolumeClaim mounted at /results, where each segment writes its store. */
  resultsClaim: string;
  /** Whole CPUs per pod (requests = limits, so the pod is Guaranteed and may get exclusive cores). */
  cpus: number;
  /** Memory per pod, Kubernetes quantity. @default '1Gi' */
  memory?: string;
  namespace?: string;
}

/** Where a segment's store lands inside its pod (HEADROOM_SEGMENT_INDEX expands per pod). */
export function segmentStorePath(name: string): string {
  return `/results/${name}/segment-$(HEADROOM_SEGMENT_INDEX).duckdb`;
}

/** The batch/v1 Job as plain data. */
export function jobManifest(o: JobManifestOptions): YamlValue {
  const labels = {
    'app.kubernetes.io/name': 'headroom',
    'app.kubernetes.io/instance': o.name,
    'headroom/scenario': labelValue(o.scenario),
  };
  const resources = { cpu: String(o.cpus), memory: o.memory ?? '1Gi' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.segments,
      parallelism: o.segments,
      // A retried segment would start after --start-at and be refused; a lost segment is for merge to report.
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // One segment per node where the cluster has the nodes: generators that share a node share its CPUs.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labels },
            },
          ],
          containers: [
            {
              name: 'headroom',
              image: o.image,
              workingDir: o.workdir ?? '/app',
              command: ['npx', '--no-install', 'headroom'],
              args: [
                'run',
                o.file,
                '--segment',
                `$(HEADROOM_SEGMENT_INDEX)/${o.segments}`,
                '--start-at',
                o.startAt,
                '--db',
                segmentStorePath(o.name),
              ],
              env: [
                {
                  name: 'HEADROOM_SEGMENT_INDEX',
                  valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
                },
              ],
              resources: { requests: resources, limits: resources },
              volumeMounts: [{ name: 'results', mountPath: '/results' }],
            },
          ],
          volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } }],
        },
      },
    },
  };
}

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelValue(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** `headroom-<scenario>-<yyyymmddhhmm>`, lower-case DNS-1123, at most 63 characters. */
export function defaultJobName(scenario: string, at: Date): string {
  const stamp = at.toISOString().replace(/\D/g, '').slice(0, 12);
  const base = `headroom-${scenario.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`
    .replace(/-+/g, '-')
    .slice(0, 63 - stamp.length - 1)
    .replace(/-+$/, '');
  return `${base}-${stamp}`;
}
