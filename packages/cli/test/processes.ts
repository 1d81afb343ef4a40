/** What /proc shows of the processes an end-to-end test started, to assert that none is left. */
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLiveRuns } from '@headroom/store';

/** Pids whose command line contains `text`. */
export function pidsMatching(text: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text)) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** True while `pid` exists and is not a zombie. */
export function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs; returns those still running after `ms`. */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pids.some(running)) return [];
    await sleep(100);
  }
  return pids.filter(running);
}

/** Waits until the live run in the store at `db` has written at least `seconds` seconds; returns it. */
export async function waitLiveSeconds(db: string, seconds: number, ms = 20_000): Promise<ReturnType<typeof readLiveRuns>[number]> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [live] = readLiveRuns(db);
    if (live && live.seconds >= seconds && live.run.pinning.length > 0) return live;
    await sleep(100);
  }
  throw new Error(`no live run with ${seconds}s in ${db} after ${ms}ms`);
}
