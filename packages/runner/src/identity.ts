import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname } from 'node:path';

/** Where and from what a run came: stored with every run so results can be trusted later. */
export interface RunIdentity {
  gitSha: string | null;
  gitDirty: boolean | null;
  /** The branch checked out; null when HEAD is detached (as in most CI checkouts) or outside git. */
  gitBranch: string | null;
  version: string;
  host: string;
  cpuModel: string;
  cpuCount: number;
  nodeVersion: string;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Reads git state (the scenario's checkout, else the working directory's) and the machine's identity.
 * `$HEADROOM_GIT_SHA`, `$HEADROOM_GIT_BRANCH` and `$HEADROOM_GIT_DIRTY` (`1`/`0`) override what
 * git says: CI checkouts are detached (no branch), and a script that measures several builds of
 * a service from one checkout names each build itself. Naming a sha without a dirty flag means
 * a clean build of that commit.
 */
export function runIdentity(file: string, env: NodeJS.ProcessEnv = process.env): RunIdentity {
  const gitIn =
    (cwd: string) =>
    (args: string[]): string | null => {
      try {
        return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return null;
      }
    };
  // The scenario's repository if it has one, else the one headroom runs in.
  let git = gitIn(dirname(file));
  let sha = git(['rev-parse', 'HEAD']);
  if (sha === null) {
    git = gitIn(process.cwd());
    sha = git(['rev-parse', 'HEAD']);
  }
  const status = sha === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  // symbolic-ref fails on a detached HEAD: no branch rather than the word "HEAD".
  const branch = sha === null ? null : git(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const shaOverride = env['HEADROOM_GIT_SHA'] || null;
  const dirtyOverride = env['HEADROOM_GIT_DIRTY'];
  const dirty =
    dirtyOverride !== undefined && dirtyOverride !== ''
      ? dirtyOverride === '1' || dirtyOverride === 'true'
      : shaOverride !== null
        ? false
        : status === null
          ? null
          : status.length > 0;
  return {
    gitSha: shaOverride ?? sha,
    gitDirty: dirty,
    gitBranch: env['HEADROOM_GIT_BRANCH'] || branch || null,
    version: VERSION,
    host: hostname(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    nodeVersion: process.version,
  };
}

/** The merge base of HEAD and `ref` in the repository holding `dir` (`git merge-base HEAD main`), or null. */
export function gitMergeBase(dir: string, ref: string): string | null {
  try {
    return (
      execFileSync('git', ['merge-base', 'HEAD', ref], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null
    );
  } catch {
    return null;
  }
}
