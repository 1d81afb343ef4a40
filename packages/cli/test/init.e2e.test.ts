import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, query, tempDir } from './helpers.ts';

/** The service a user would have (CommonJS, as npm init's project is): answers / and its ready path, on PORT. */
const SERVICE = `const { createServer } = require('node:http');
createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('headroom init', () => {
  it('scaffolds a scenario that headroom run carries out against the real service', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFileSync(join(dir, 'server.js'), SERVICE);
    // What `npm init -y` writes today: a CommonJS project, where Node reads a .ts file's imports as CommonJS.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', type: 'commonjs' }));
    const init = await headroom(
      [
        'init',
        '--name',
        'shop',
        '--start',
        'node server.js',
        '--port',
        String(port),
        '--ready',
        '/up',
        '--route',
        'GET:/a',
        '--route',
        'POST:/b',
        '--json',
      ],
      { cwd: dir },
    );
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      scenario: 'scenarios/shop.ts',
      bench: 'scenarios/shop.bench.ts',
      gitignore: 'created',
      moduleMarker: 'created',
      defaulted: [],
    });
    expect(JSON.parse(readFileSync(join(dir, 'scenarios/package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('results/\n');
    const scenario = readFileSync(join(dir, 'scenarios/shop.ts'), 'utf8');
    expect(scenario).toContain(`ready: 'http://127.0.0.1:${port}/up'`);
    expect(scenario).toMatch(/^\s*\/\/ /m);

    const run = await headroom(['run', 'scenarios/shop.ts', '--json'], { cwd: dir });
    expect(run.stderr).not.toContain('MODULE_TYPELESS_PACKAGE_JSON');
    const result = JSON.parse(run.stdout) as {
      runId: string;
      status: string;
      phases: { phase: string; requests: number; errors: number }[];
      gates: { key: string; status: string }[];
    };
    expect(result.status, run.stderr).toBe('completed');
    expect(result.gates.map((g) => g.key).sort()).toEqual(['errors.rate', 'steady.p99']);
    // The template's p99 threshold may fail on a loaded machine: speed never decides a test; the error gate must hold.
    const failed = result.gates.filter((g) => g.status !== 'passed').map((g) => g.key);
    expect(failed.filter((k) => k !== 'steady.p99')).toEqual([]);
    expect(run.code).toBe(failed.length === 0 ? 0 : 1);
    expect(result.phases.map((p) => p.phase)).toEqual(['warmup', 'steady']);
    for (const p of result.phases) expect([p.phase, p.requests > 0, p.errors]).toEqual([p.phase, true, 0]);
    const [row] = await query<{ scenario: string; status: string }>(
      join(dir, 'results/headroom.duckdb'),
      `SELECT scenario, status FROM runs WHERE id = '${result.runId}'`,
    );
    expect(row).toEqual({ scenario: 'shop', status: 'completed' });
  });

  it('without a terminal asks nothing and says which defaults it used; never overwrites without --force; adds results/ once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/billing', main: 'src/main.js' }));
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const first = await headroom(['init'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      'stdin is not a terminal, so nothing was asked; defaults used: --name "billing" --start "node src/main.js" --port "3000" --ready "/health" --route "GET:/"',
    );
    expect(first.stdout).toContain('npx headroom run scenarios/billing.ts');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\nresults/\n');

    writeFileSync(join(dir, 'scenarios/billing.ts'), '// mine\n');
    const again = await headroom(['init', '--port', '4000'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('scenarios/billing.ts and scenarios/billing.bench.ts already exist; pass --force');
    expect(readFileSync(join(dir, 'scenarios/billing.ts'), 'utf8')).toBe('// mine\n');

    const forced = await headroom(['init', '--port', '4000', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'scenarios/billing.ts'), 'utf8')).toContain("target: 'http://127.0.0.1:4000'");
    expect(forced.stdout).toContain('.gitignore: already ignores results/');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\nresults/\n');
  });

  it('bad answers are usage errors (exit 2) and write nothing', async () => {
    const dir = tempDir();
    for (const args of [
      ['--route', 'GET /'],
      ['--name', 'a b'],
      ['--ready', 'health'],
      ['--port', '0'],
    ]) {
      const r = await headroom(['init', ...args], { cwd: dir });
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
    }
    expect(existsSync(join(dir, 'scenarios'))).toBe(false);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });
});
