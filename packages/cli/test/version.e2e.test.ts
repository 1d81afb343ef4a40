import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, headroom } from './helpers.ts';

const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

describe('headroom --version', () => {
  it("prints the CLI package's version, which every package of the release shares", async () => {
    const expected = versionOf(join(BIN, '../..'));
    expect(expected).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    for (const flag of ['--version', '-v']) {
      const r = await headroom([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${expected}\n`);
    }
    const packages = readdirSync(join(REPO, 'packages'));
    expect(packages.length).toBeGreaterThan(5);
    for (const p of packages) expect([p, versionOf(join(REPO, 'packages', p))]).toEqual([p, expected]);
  });
});
