import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { allowHeadroomImports } from '@headroom/internal';
import { validateScenario } from '@headroom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { INIT_DEFAULTS, initDefaults, parseRoute, scenarioFor, splitCommand, type InitAnswers } from './answers.ts';
import { completeAnswers } from './prompt.ts';
import { scenarioTemplate } from './templates.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-init-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const answers: InitAnswers = {
  name: 'orders-api',
  start: 'node "dist/my server.js" --flag',
  port: 3456,
  ready: '/healthz',
  routes: ['GET:/orders?limit=10', 'post:/orders'],
};

describe('headroom init answers', () => {
  it('splits a start command on spaces, keeping quoted words whole', () => {
    expect(splitCommand(`node "dist/my server.js"  --name 'a b' -x`)).toEqual(['node', 'dist/my server.js', '--name', 'a b', '-x']);
    expect(splitCommand('   ')).toEqual([]);
  });

  it('reads METHOD:/path routes, method in any case, and rejects anything else', () => {
    expect(parseRoute('post:/orders?x=1')).toEqual({ method: 'POST', path: '/orders?x=1' });
    for (const bad of ['GET /', '/orders', 'GET:orders', ':/x']) expect(() => parseRoute(bad), bad).toThrow(/METHOD:\/path/);
  });

  it("suggests the folder's package name (unscoped) and `node <main>`", () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/orders-api', main: 'dist/index.js' }));
    expect(initDefaults(dir)).toEqual({ ...INIT_DEFAULTS, name: 'orders-api', start: 'node dist/index.js' });
    rmSync(join(dir, 'package.json'));
  });

  it('makes a scenario that validates, with the service and the generator on separate CPUs when there are two', () => {
    const two = validateScenario(scenarioFor(answers, [0, 1]), { file: 's.ts', cpuCount: 2 });
    expect(two.service?.command).toEqual(['node', 'dist/my server.js', '--flag']);
    expect(two.service?.cpus).toEqual([0]);
    expect(two.workers.cpus).toEqual([1]);
    expect(two.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /orders?limit=10', 'POST /orders']);
    const one = validateScenario(scenarioFor(answers, [0]), { file: 's.ts', cpuCount: 1 });
    expect(one.workers.cpus).toEqual([0]);
    // In a container given CPUs 4 and 5 (a cpuset), those are the ones written.
    const pod = validateScenario(scenarioFor(answers, [4, 5]), { file: 's.ts', cpus: [4, 5] });
    expect([pod.service?.cpus, pod.workers.cpus]).toEqual([[4], [5]]);
    expect(() => scenarioFor({ ...answers, port: 70000 })).toThrow(/1 to 65535/);
    expect(() => scenarioFor({ ...answers, ready: 'health' })).toThrow(/starting with \//);
  });

  it('writes a scenario file whose default export is exactly the scenario the answers make', async () => {
    allowHeadroomImports();
    for (const cpus of [[0], [0, 1], [4, 5]]) {
      const file = join(dir, `generated-${cpus.join('-')}.ts`);
      writeFileSync(file, scenarioTemplate(scenarioFor({ ...answers, start: `node 'it''s.js'` }, cpus)));
      const mod = (await import(pathToFileURL(file).href)) as { default: unknown };
      expect(mod.default).toEqual(scenarioFor({ ...answers, start: `node 'it''s.js'` }, cpus));
    }
  });
});

describe('headroom init questions', () => {
  it('asks on a terminal for what was not given; Enter takes the suggestion', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    const replies = ['npm start', '', '/ready', 'GET:/a, POST:/b'];
    let asked = '';
    // One reply per question, as a person types it when the prompt shows.
    output.on('data', (d) => {
      asked += d;
      if (String(d).endsWith(': ')) input.write(`${replies.shift()}\n`);
    });
    const pending = completeAnswers({ name: 'given' }, { ...INIT_DEFAULTS, routes: ['GET:/'] }, { input, output });
    const { answers: got, completion } = await pending;
    expect(got).toEqual({ name: 'given', start: 'npm start', port: 3000, ready: '/ready', routes: ['GET:/a', 'POST:/b'] });
    expect(completion).toEqual({ status: 'asked', keys: ['start', 'port', 'ready', 'routes'] });
    expect(asked).toContain('Port it listens on [3000]: ');
    expect(asked).not.toContain('Scenario name');
    expect(replies).toEqual([]);
  });

  it('never waits when stdin is not a terminal: defaults, and which they were', async () => {
    const input = new PassThrough();
    const { answers: got, completion } = await completeAnswers(
      { port: 8080 },
      { ...INIT_DEFAULTS, routes: ['GET:/'] },
      { input, output: new PassThrough() },
    );
    expect(got).toEqual({ ...INIT_DEFAULTS, port: 8080 });
    expect(completion).toEqual({ status: 'defaulted', keys: ['name', 'start', 'ready', 'routes'] });
  });
});
