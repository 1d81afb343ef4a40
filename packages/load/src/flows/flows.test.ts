import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { decodeHistogram } from '@headroom/internal';
import type { WorkerPhaseEnd } from '@headroom/internal';
import { planWorkers } from '../plan-workers.ts';
import { collect, httpServer, phaseEnds } from '../test-servers.ts';
import type { TestServer } from '../test-servers.ts';

let srv: TestServer;
const seenUsers: string[] = [];
let badTokens = 0;

beforeAll(async () => {
  // The server issues a token per user at /login and verifies it on every /cart read; every
  // 4th /item answers 500, so checks fail for a known fraction.
  let items = 0;
  srv = await httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/login') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { user } = JSON.parse(body) as { user: string };
        seenUsers.push(user);
        res.setHeader('set-cookie', `sid=s-${user}; Path=/; HttpOnly`);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: `t-${user}` }));
      });
      return;
    }
    if (url.pathname === '/cart') {
      const auth = req.headers.authorization ?? '';
      const cookie = req.headers.cookie ?? '';
      const user = auth.replace('Bearer t-', '');
      if (!auth.startsWith('Bearer t-') || cookie !== `sid=s-${user}`) {
        badTokens++;
        res.statusCode = 401;
      }
      res.end('{"items":[]}');
      return;
    }
    if (url.pathname.startsWith('/item/')) {
      items++;
      res.statusCode = items % 4 === 0 ? 500 : 200;
      res.end('{}');
      return;
    }
    res.statusCode = 404;
    res.end();
  });
});
afterAll(async () => {
  await srv.close();
});

function scenarioFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-flows-'));
  writeFileSync(join(dir, 'users.csv'), 'user,pass\n' + Array.from({ length: 40 }, (_, i) => `u${i},p${i}`).join('\n') + '\n');
  const file = join(dir, 'scenario.ts');
  writeFileSync(file, `import { defineScenario, csv } from '@headroom/core';\nexport default defineScenario(${body});\n`);
  return file;
}

async function run(file: string, workers = 1): Promise<WorkerPhaseEnd[]> {
  const { default: raw } = (await import(file)) as { default: unknown };
  const scenario = validateScenario(raw, { file, cpuCount: 2 });
  const plans = planWorkers(scenario, workers, Date.now() + 300);
  const outs = await Promise.all(plans.map((p) => collect(p)));
  return outs.flatMap((o) => phaseEnds(o));
}

describe('flows', () => {
  it('logs in, carries the token and the cookie, and counts checks per name', async () => {
    const file = scenarioFile(`{
      name: 'flow', target: '${srv.url}',
      data: { users: csv('users.csv', { pick: 'unique-per-iteration', whenExhausted: 'stop' }) },
      flows: { shop: async (vu) => {
        const r = await vu.post('/login', { json: { user: vu.data.users.user }, name: 'login' });
        const { token } = r.json();
        await vu.get('/cart', { headers: { authorization: 'Bearer ' + token }, check: { 'cart ok': (x) => x.status === 200 } });
        await vu.get('/item/' + vu.iteration, { check: { 'item ok': (x) => x.status === 200 } });
      } },
      phases: [{ name: 'steady', duration: '2s', connections: 4 }],
    }`);
    const ends = await run(file, 2);
    expect(badTokens).toBe(0);
    // unique-per-iteration with stop: the 40 rows are used once each across both workers.
    expect(seenUsers.length).toBe(40);
    expect(new Set(seenUsers).size).toBe(40);
    const names = new Map<string, number>();
    let total = 0;
    for (const e of ends) {
      total += e.requests;
      for (const n of e.names ?? []) {
        names.set(n.name, (names.get(n.name) ?? 0) + n.requests);
        expect(decodeHistogram(n.hist).totalCount).toBe(n.ok + (n.errors.http_5xx ?? 0) + (n.errors.http_4xx ?? 0));
      }
    }
    expect([...names.keys()].sort()).toEqual(['GET /cart', 'GET /item/:id', 'login']);
    expect(names.get('login')).toBe(40);
    expect(total).toBe(120);
    const checks = ends.flatMap((e) => e.checks ?? []);
    const item = checks.filter((c) => c.name === 'item ok');
    const fails = item.reduce((s, c) => s + c.fails, 0);
    expect(item.reduce((s, c) => s + c.passes, 0) + fails).toBe(40);
    expect(fails).toBe(10); // every 4th /item answers 500, by construction
    const flows = ends.flatMap((e) => e.flows ?? []);
    expect(flows.reduce((s, f) => s + f.iterations, 0)).toBe(40);
    expect(flows.reduce((s, f) => s + decodeHistogram(f.hist).totalCount, 0)).toBe(40);
  });

  it('counts a flow that throws as a failed iteration with its message, and keeps running', async () => {
    const file = scenarioFile(`{
      name: 'throws', target: '${srv.url}',
      flows: { bad: async (vu) => { await vu.get('/cart', { name: 'cart' }); if (vu.iteration % 2 === 1) throw new Error('odd iteration ' + (vu.iteration % 2)); } },
      phases: [{ name: 'steady', duration: '1s', rate: 50, connections: 2 }],
    }`);
    const ends = await run(file);
    const f = ends[0]!.flows![0]!;
    expect(f.iterations).toBeGreaterThan(40);
    expect(f.failed).toBeGreaterThan(15);
    expect(f.messages).toEqual([{ message: 'odd iteration 1', count: f.failed }]);
  });

  it('fails an iteration that calls vu.check the wrong way, saying how to call it', async () => {
    const file = scenarioFile(`{
      name: 'bad-check', target: '${srv.url}',
      flows: { f: async (vu) => { const r = await vu.get('/cart', { name: 'cart' }); vu.check('ok', r.status === 200); } },
      phases: [{ name: 'steady', duration: '1s', rate: 20, connections: 2 }],
    }`);
    const f = (await run(file))[0]!.flows![0]!;
    expect(f.failed).toBe(f.iterations);
    expect(f.messages[0]!.message).toBe(
      // /cart without a token answers 401, so the boolean passed is false.
      "TypeError: vu.check(response, checks): checks must be an object of named functions, e.g. { 'is 200': (r) => r.status === 200 }; got boolean false",
    );
  });

  it('a closed-model flow that throws before any I/O neither hangs nor crashes the worker', async () => {
    const file = scenarioFile(`{
      name: 'sync-throw', target: '${srv.url}',
      flows: { boom: () => { throw new TypeError('no such thing'); } },
      phases: [{ name: 'steady', duration: '500ms', connections: 2 }],
    }`);
    const ends = await run(file);
    const f = ends[0]!.flows![0]!;
    expect(f.failed).toBe(f.iterations);
    expect(f.iterations).toBeGreaterThan(100);
    expect(f.messages).toEqual([{ message: 'TypeError: no such thing', count: f.failed }]);
  });

  it('dynamic requests: json and headers built from the context, the cookie jar shared across the mix', async () => {
    const before = badTokens;
    seenUsers.length = 0;
    const file = scenarioFile(`{
      name: 'dynamic', target: '${srv.url}',
      requests: [
        { name: 'login', method: 'POST', path: '/login', json: (c) => ({ user: 'd' + c.vu }) },
        { name: 'cart', path: '/cart', headers: (c) => ({ authorization: 'Bearer t-d' + c.vu }), check: { ok: (r) => r.status === 200 } },
      ],
      phases: [{ name: 'steady', duration: '500ms', connections: 1 }],
    }`);
    const ends = await run(file);
    expect(badTokens).toBe(before);
    expect(new Set(seenUsers)).toEqual(new Set(['d0']));
    const [check] = ends[0]!.checks!;
    expect(check).toMatchObject({ name: 'ok', fails: 0 });
    expect(Math.abs(check!.passes - seenUsers.length)).toBeLessThanOrEqual(1); // the mix alternates login and cart
  });

  it('drops arrivals when every VU is busy and maxVus is reached (k6 dropped_iterations)', async () => {
    const file = scenarioFile(`{
      name: 'drops', target: '${srv.url}',
      flows: { slow: async (vu) => { await vu.sleep('300ms'); } },
      phases: [{ name: 'steady', duration: '1s', rate: 20, connections: 2, maxVus: 3 }],
    }`);
    const ends = await run(file);
    const f = ends[0]!.flows![0]!;
    // 20 arrivals, 50 ms apart; an iteration takes 300 ms, so at most 3 VUs run ~ 3 per 300 ms = 10 per second.
    expect(f.iterations + f.dropped).toBe(20);
    expect(f.dropped).toBeGreaterThanOrEqual(8);
    expect(f.iterations).toBeLessThanOrEqual(12);
  });
});
