import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIdentity } from './identity.ts';

let dir: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-identity-'));
  git('init', '--quiet', '--initial-branch', 'release-7');
  writeFileSync(join(dir, 'scenario.ts'), 'export default {};\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'one');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runIdentity', () => {
  it("records the scenario checkout's sha, branch and dirty flag", () => {
    const sha = git('rev-parse', 'HEAD');
    expect(runIdentity(join(dir, 'scenario.ts'), {})).toMatchObject({ gitSha: sha, gitBranch: 'release-7', gitDirty: false });
    writeFileSync(join(dir, 'scenario.ts'), 'export default { changed: true };\n');
    expect(runIdentity(join(dir, 'scenario.ts'), {}).gitDirty).toBe(true);
  });

  it('has no branch on a detached HEAD (a CI checkout) rather than the word HEAD', () => {
    git('checkout', '--quiet', '--detach');
    expect(runIdentity(join(dir, 'scenario.ts'), {}).gitBranch).toBeNull();
  });

  it('takes sha, branch and dirty flag from $HEADROOM_GIT_* when set; a named sha is a clean build unless said otherwise', () => {
    writeFileSync(join(dir, 'scenario.ts'), 'export default { changed: true };\n');
    const f = join(dir, 'scenario.ts');
    expect(runIdentity(f, { HEADROOM_GIT_SHA: 'a1b2c3d4', HEADROOM_GIT_BRANCH: 'main' })).toMatchObject({
      gitSha: 'a1b2c3d4',
      gitBranch: 'main',
      gitDirty: false,
    });
    expect(runIdentity(f, { HEADROOM_GIT_SHA: 'a1b2c3d4', HEADROOM_GIT_DIRTY: '1' }).gitDirty).toBe(true);
    expect(runIdentity(f, { HEADROOM_GIT_DIRTY: '0' }).gitDirty).toBe(false);
  });
});
