import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname } from 'node:path';

/** Where and from what a run came: stored with every run so results can be trusted later. */
export interface RunIdentity {
  gitSha: string | null;
  gitDirty: boolean | null;
  version: string;
  host: string;
  cpuModel: string;
  cpuCount: number;
  nodeVersion: string;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Reads git state (the scenario's checkout, else the working directory's) and the machine's identity. */
export function runIdentity(file: string): RunIdentity {
  const gitIn = (cwd: string) => (args: string[]): string | null => {
    try { return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; }
  };
  // The scenario's repository if it has one, else the one headroom runs in.
  let git = gitIn(dirname(file));
  let sha = git(['rev-parse', 'HEAD']);
  if (sha === null) { git = gitIn(process.cwd()); sha = git(['rev-parse', 'HEAD']); }
  const status = sha === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return {
    gitSha: sha, gitDirty: status === null ? null : status.length > 0, version: VERSION, host: hostname(),
    cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, nodeVersion: process.version,
  };
}

/** The merge base of HEAD and `ref` in the repository holding `dir` (`git merge-base HEAD main`), or null. */
export function gitMergeBase(dir: string, ref: string): string | null {
  try {
    return execFileSync('git', ['merge-base', 'HEAD', ref], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}
