import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodes, headroomTargets } from './create-nodes.ts';

const workspace = mkdtempSync(join(tmpdir(), 'headroom-nx-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function touch(path: string, text = '{}'): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

describe('@headroom/nx createNodes', () => {
  it('gives each project with scenario files run/check targets and with bench files a bench target, from its own root', async () => {
    touch('package.json');
    touch('apps/orders/package.json');
    touch('apps/orders/scenarios/steady.ts', '');
    touch('apps/orders/scenarios/capacity.ts', '');
    touch('apps/orders/scenarios/parse.bench.ts', '');
    touch('libs/codec/project.json');
    touch('libs/codec/src/scenarios/codec.bench.ts', '');
    const [pattern, create] = createNodes;
    expect(pattern).toBe('**/scenarios/*.ts');
    const files = [
      'apps/orders/scenarios/steady.ts',
      'apps/orders/scenarios/capacity.ts',
      'apps/orders/scenarios/parse.bench.ts',
      'apps/orders/scenarios/helpers.test.ts',
      'libs/codec/src/scenarios/codec.bench.ts',
    ];
    const results = await create(files, undefined, { workspaceRoot: workspace, nxJsonConfiguration: {} });
    const byRoot = Object.fromEntries(results.flatMap(([, r]) => Object.entries(r.projects ?? {})));
    expect(Object.keys(byRoot).sort()).toEqual(['apps/orders', 'libs/codec']);
    const orders = byRoot['apps/orders']?.targets ?? {};
    expect(Object.keys(orders).sort()).toEqual(['headroom-bench', 'headroom-check', 'headroom-run']);
    expect(orders['headroom-run']?.options).toEqual({
      cwd: '{projectRoot}',
      parallel: false,
      commands: ['npx headroom run scenarios/capacity.ts', 'npx headroom run scenarios/steady.ts'],
    });
    expect(orders['headroom-check']?.options.commands).toEqual([
      'npx headroom check scenarios/capacity.ts',
      'npx headroom check scenarios/steady.ts',
    ]);
    expect(orders['headroom-bench']?.options.commands).toEqual(['npx headroom bench scenarios/parse.bench.ts']);
    expect(orders['headroom-run']?.cache).toBe(false);
    const codec = byRoot['libs/codec']?.targets ?? {};
    expect(Object.keys(codec)).toEqual(['headroom-bench']);
    expect(codec['headroom-bench']?.options.commands).toEqual(['npx headroom bench src/scenarios/codec.bench.ts']);
  });

  it('files outside every project get no targets; the root package is a project', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'headroom-nx-bare-'));
    try {
      mkdirSync(join(bare, 'scenarios'));
      writeFileSync(join(bare, 'scenarios/a.ts'), '');
      const [, create] = createNodes;
      expect(await create(['scenarios/a.ts'], undefined, { workspaceRoot: bare, nxJsonConfiguration: {} })).toEqual([]);
      writeFileSync(join(bare, 'package.json'), '{}');
      const [[, result] = ['', {}]] = await create(['scenarios/a.ts'], undefined, { workspaceRoot: bare, nxJsonConfiguration: {} });
      expect(Object.keys(result.projects ?? {})).toEqual(['.']);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('takes a target prefix and the command that runs headroom', () => {
    const t = headroomTargets(['scenarios/a.ts'], { targetPrefix: 'perf:', command: 'node_modules/.bin/headroom' });
    expect(Object.keys(t).sort()).toEqual(['perf:check', 'perf:run']);
    expect(t['perf:run']?.options.commands).toEqual(['node_modules/.bin/headroom run scenarios/a.ts']);
  });
});
