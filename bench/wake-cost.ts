/**
 * What one wake-up costs on this host: the floor under an evenly paced generator's CPU per
 * request, which sleeps between arrivals and is woken by its timer for each send and by the
 * socket for each response. Pinned to CPU 1 (the generator's), each figure is the sleeping
 * thread's own CPU time per wake (/proc schedstat for Node's threads, CLOCK_THREAD_CPUTIME_ID in C):
 *
 *  - C, `epoll_wait` with a 1 ms timeout on an empty set (a timer wake);
 *  - C, `epoll_wait` woken by an eventfd another thread writes from CPU 0 every 1 ms (a socket-like wake);
 *  - Node, `setTimeout(1)` and `setTimeout(5)` chained (a plain-timer wake of the event loop);
 *  - Node, the precise timer (packages/load/src/precise-timer.ts) chained at 5 ms: its thread's
 *    futex wake and the hand-off to the main loop, all threads counted.
 *
 * The C part is compiled here with the system's `cc` (skipped with a note when there is none).
 *
 *   node_modules/.bin/node bench/wake-cost.ts [--wakes 3000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wakeAt, warmPreciseTimer } from '../packages/load/src/precise-timer.ts';
import { printHost } from './lib/host.ts';
import { printTable } from './lib/table.ts';

const { values } = parseArgs({ options: { wakes: { type: 'string', default: '3000' } } });
const n = Number(values.wakes);

const C = `#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
static int efd, n;
static volatile int done;
static double cpu_us(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static void pin(int c) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(c, &s); pthread_setaffinity_np(pthread_self(), sizeof s, &s); }
static void *writer(void *x) { (void)x; pin(0); struct timespec d = {0, 1000000}; uint64_t one = 1;
  while (!done) { nanosleep(&d, 0); if (write(efd, &one, 8) < 0) return 0; } return 0; }
int main(int argc, char **argv) {
  n = atoi(argv[1]); pin(1);
  int ep = epoll_create1(0); struct epoll_event ev = {.events = EPOLLIN};
  double c0 = cpu_us();
  for (int i = 0; i < n; i++) epoll_wait(ep, &ev, 1, 1);
  printf("%.2f\\n", (cpu_us() - c0) / n);
  efd = eventfd(0, EFD_NONBLOCK); epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  pthread_t t; pthread_create(&t, 0, writer, 0); uint64_t v;
  c0 = cpu_us();
  for (int w = 0; w < n;) if (epoll_wait(ep, &ev, 1, -1) > 0) { if (read(efd, &v, 8) > 0) w++; }
  printf("%.2f\\n", (cpu_us() - c0) / n);
  done = 1; pthread_join(t, 0);
  return 0;
}
`;

/** The C figures (µs per timer wake, per eventfd wake), or null without a compiler. */
function cFigures(): [number, number] | null {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-wake-'));
  try {
    writeFileSync(join(dir, 'wake.c'), C);
    try {
      execFileSync('cc', ['-O2', '-pthread', '-o', join(dir, 'wake'), join(dir, 'wake.c')], { stdio: 'pipe' });
    } catch {
      return null;
    }
    const out = execFileSync(join(dir, 'wake'), [String(n)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    return [out[0]!, out[1]!];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time (µs) of this process's threads, by thread id, from /proc schedstat (exact, not tick-sampled). */
function threadCpu(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      m.set(t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1000);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return m;
}
const since = (before: Map<string, number>, only?: string): number => {
  let sum = 0;
  for (const [t, v] of threadCpu()) if (only === undefined || t === only) sum += v - (before.get(t) ?? 0);
  return sum;
};

async function nodeTimeout(ms: number): Promise<number> {
  const wakes = Math.min(n, Math.round(3000 / ms));
  const before = threadCpu();
  await new Promise<void>((resolve) => {
    let i = 0;
    const f = (): void => {
      if (++i >= wakes) resolve();
      else setTimeout(f, ms);
    };
    setTimeout(f, ms);
  });
  return since(before) / wakes;
}

async function nodePrecise(): Promise<number> {
  warmPreciseTimer();
  await new Promise((r) => setTimeout(r, 300));
  const fires = Math.min(n, 1000);
  const before = threadCpu();
  await new Promise<void>((resolve) => {
    const t0 = performance.now() + 2;
    const arm = (k: number): void => {
      if (k === fires) resolve();
      else wakeAt(t0 + k * 5, () => arm(k + 1));
    };
    arm(0);
  });
  return since(before) / fires;
}

execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
printHost();
const c = cFigures();
const rows: (string | number)[][] = [];
if (c === null) process.stdout.write('no C compiler (cc): the C rows are left out\n');
else {
  rows.push(['C: epoll_wait, 1 ms timeout (timer wake)', c[0].toFixed(1)]);
  rows.push(['C: epoll_wait woken by an eventfd from CPU 0', c[1].toFixed(1)]);
}
rows.push(['Node: setTimeout(1), all threads', (await nodeTimeout(1)).toFixed(1)]);
rows.push(['Node: setTimeout(5), all threads', (await nodeTimeout(5)).toFixed(1)]);
rows.push(['Node: precise timer every 5 ms, all threads', (await nodePrecise()).toFixed(1)]);
printTable(`CPU per wake-up, µs (${n} wakes, CPU 1)`, ['wake', 'µs'], rows);
process.exit(0); // the precise timer's thread
