import { describe, expect, it } from 'vitest';
import { defaultJobName, jobManifest } from './job-manifest.ts';

const base = {
  scenario: 'Orders API',
  file: 'scenarios/orders.ts',
  segments: 4,
  image: 'registry.example/orders-load:1',
  startAt: '2026-12-03T18:40:00.000Z',
  name: 'headroom-orders-api-202612031838',
  resultsClaim: 'headroom-results',
  cpus: 2,
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('jobManifest', () => {
  const job = jobManifest(base) as Json;
  const pod = job['spec']['template']['spec'];
  const container = pod['containers'][0];

  it('is an Indexed Job with one pod per segment, all at once, never retried', () => {
    expect(job['apiVersion']).toBe('batch/v1');
    expect(job['kind']).toBe('Job');
    expect(job['spec']).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0 });
    expect(pod['restartPolicy']).toBe('Never');
  });

  it('runs the segment of its completion index with the shared start and its own store on the claim', () => {
    expect(container['args']).toEqual([
      'run',
      'scenarios/orders.ts',
      '--segment',
      '$(HEADROOM_SEGMENT_INDEX)/4',
      '--start-at',
      '2026-12-03T18:40:00.000Z',
      '--db',
      '/results/headroom-orders-api-202612031838/segment-$(HEADROOM_SEGMENT_INDEX).duckdb',
    ]);
    // $(VAR) in args expands only variables of the container's env: the index comes in through the downward API.
    expect(container['env']).toEqual([
      {
        name: 'HEADROOM_SEGMENT_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
    expect(pod['volumes']).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: 'headroom-results' } }]);
    expect(container['volumeMounts']).toEqual([{ name: 'results', mountPath: '/results' }]);
  });

  it('asks for whole CPUs with requests equal to limits (Guaranteed QoS)', () => {
    expect(container['resources']).toEqual({ requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
  });

  it('labels with valid label values', () => {
    expect(job['metadata']['labels']['headroom/scenario']).toBe('Orders-API');
  });
});

describe('defaultJobName', () => {
  it('is DNS-1123 and at most 63 characters', () => {
    const n = defaultJobName('My Very_Long scenario name that goes on and on and on and on and on', new Date('2026-12-03T18:38:12Z'));
    expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(n.endsWith('-202612031838')).toBe(true);
  });
});
