/**
 * `service.capture.cpu: { profiler: 'perf' }` end to end, with real perf, a real Node service
 * whose CPU goes mostly to one named function by construction, a real nginx, and a real
 * DuckDB store: the profile lands where the agent's does and `profile top` reads it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, query, runPids, tempDir, writeScenario } from './helpers.ts';

const perfOk = spawnSync('perf', ['stat', '-e', 'cpu-clock', 'true']).status === 0;
const nginxOk = existsSync('/usr/sbin/nginx');
const taskset = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).stdout.trim();

/** Command lines of running `perf` processes that headroom started (their data file is headroom-perf.data). */
function headroomPerfs(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (/\bperf\b.*\brecord\b/.test(cmd) && cmd.includes('headroom-perf.data')) out.push(`${pid}: ${cmd}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The JIT maps node processes with --perf-basic-prof write in /tmp. */
function perfMaps(): Set<string> {
  return new Set(readdirSync('/tmp').filter((f) => /^perf-\d+\.map$/.test(f)));
}

/** Maps in `after` that were not in `before`. */
function newMaps(before: Set<string>): string[] {
  return [...perfMaps()].filter((f) => !before.has(f));
}

/**
 * A service whose requests each run `burnKnown` (integer arithmetic) for about 1-2 ms; it
 * times its own burnKnown calls and, on SIGTERM, writes that and its process CPU time: the
 * share perf should find, known without perf. The loop body is unrolled past TurboFan's
 * inlining budget (max_inlined_bytecode_size, 460 bytes of bytecode): an inlined burnKnown
 * would run inside its caller's code, which the perf map names after the caller.
 */
function burnService(dir: string, port: number): { file: string; stats: string } {
  const file = join(dir, 'burn.mjs');
  const stats = join(dir, 'stats.json');
  writeFileSync(
    file,
    `import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
let burnNs = 0n;
function burnKnown(n) { let x = 0; for (let i = 0; i < n; i++) { ${'x = (x * 31 + i) | 0; x ^= x >>> 3; '.repeat(40)} } return x; }
const server = createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  const t = process.hrtime.bigint();
  const x = burnKnown(40_000);
  burnNs += process.hrtime.bigint() - t;
  res.end(String(x));
});
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage();
  writeFileSync(${JSON.stringify(stats)}, JSON.stringify({ burnNs: Number(burnNs), cpuNs: (cpu.user + cpu.system) * 1000 }));
  process.exit(0);
});
server.listen(${port}, '127.0.0.1');
`,
  );
  return { file, stats };
}

describe.skipIf(!perfOk)('CPU profiles by perf (end to end)', () => {
  it('puts the function that burns most of the CPU first, at its constructed share, with about hz × CPU-seconds samples, and leaves no perf behind', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const svc = burnService(dir, port);
    const hz = 99;
    const mapsBefore = perfMaps();
    const file = writeScenario(
      dir,
      'perf',
      `{
      name: 'perf-e2e',
      service: { command: ['node', ${JSON.stringify(svc.file)}], ready: 'http://127.0.0.1:${port}/health', cpus: [0],
        capture: { cpu: { profiler: 'perf', hz: ${hz} }, runtime: false } },
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/work' }],
      workers: { cpus: [1] },
      phases: [{ name: 'warmup', duration: '1s', rate: 50 }, { name: 'steady', duration: '4s', rate: 100 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout);
    expect(r.stderr).not.toMatch(/perf record (exited|failed)|could not be read/);

    // Stored as the agent's cpu profiles are: one file per measured phase, rows in profiles and profile_functions.
    const profiles = await query<{ phase: string; type: string; path: string; total: number }>(
      db,
      `SELECT phase, type, path, total FROM profiles WHERE run_id = '${runId}'`,
    );
    expect(profiles.map((p) => `${p.phase}.${p.type}`)).toEqual(['steady.cpu']);
    expect(profiles[0]?.path.endsWith(join(runId, 'profiles', 'steady.cpu.pb.gz'))).toBe(true);
    expect(existsSync(profiles[0]!.path)).toBe(true);

    const top = await headroom(['profile', 'top', runId, '--phase', 'steady', '--type', 'cpu', '--limit', '10', '--json', '--db', db]);
    expect(top.code, top.stderr).toBe(0);
    const rows = JSON.parse(top.stdout).rows as { function: string }[];
    expect(rows[0]?.function).toBe('burnKnown');

    for (const format of ['pprof', 'speedscope']) {
      const out = join(dir, `steady.${format}`);
      const ex = await headroom(['profile', 'export', runId, '--phase', 'steady', '--format', format, '-o', out, '--db', db]);
      expect(ex.code, ex.stderr).toBe(0);
      expect(readFileSync(out).length).toBeGreaterThan(100);
    }
    expect(JSON.parse(readFileSync(join(dir, 'steady.speedscope'), 'utf8')).shared.frames.map((f: { name: string }) => f.name)).toContain(
      'burnKnown',
    );

    // The share of the service's CPU in burnKnown, as perf saw it, against the service's own count.
    const fns = await query<{ function: string; total: number }>(
      db,
      `SELECT function, total FROM profile_functions WHERE run_id = '${runId}' AND phase = 'steady' AND type = 'cpu'`,
    );
    const perfShare = (fns.find((f) => f.function === 'burnKnown')?.total ?? 0) / profiles[0]!.total;
    const own = JSON.parse(readFileSync(svc.stats, 'utf8')) as { burnNs: number; cpuNs: number };
    const builtShare = own.burnNs / own.cpuNs;
    expect(builtShare).toBeGreaterThan(0.6); // by construction most of the CPU
    expect(Math.abs(perfShare - builtShare), `perf ${perfShare}, service ${builtShare}`).toBeLessThan(0.12);

    // About hz samples per CPU-second of the service in the phase (its CPU from /proc each second).
    const [cpu] = await query<{ cpu_s: number }>(
      db,
      `SELECT sum(proc_cpu) AS cpu_s FROM series WHERE run_id = '${runId}' AND phase = 'steady'`,
    );
    const samples = profiles[0]!.total / (1e9 / hz);
    const expected = hz * (cpu?.cpu_s ?? 0);
    expect(expected).toBeGreaterThan(50);
    expect(samples / expected, `${samples} samples, ${expected} expected`).toBeGreaterThan(0.75);
    expect(samples / expected, `${samples} samples, ${expected} expected`).toBeLessThan(1.25);

    expect(headroomPerfs()).toEqual([]);
    // perf's data file is read and removed; the JIT map Node wrote for the service is removed too.
    expect(readdirSync(join(profiles[0]!.path, '..'))).toEqual(['steady.cpu.pb.gz']);
    // No JIT map is left: not the service's, not its supervisor's (NODE_OPTIONS reaches it too).
    const pids = await runPids(db, runId);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(existsSync(`/tmp/perf-${pid}.map`)).toBe(false);
    expect(newMaps(mapsBefore)).toEqual([]);
  });

  it.skipIf(!nginxOk)('profiles a service that is not Node: nginx functions appear', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    mkdirSync(join(dir, 'logs'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } } }
`,
    );
    const file = writeScenario(
      dir,
      'nginx',
      `{
      name: 'perf-nginx',
      service: { command: ['/usr/sbin/nginx', '-p', ${JSON.stringify(dir)}, '-c', ${JSON.stringify(conf)}], ready: 'http://127.0.0.1:${port}/',
        cpus: [0], capture: { cpu: { profiler: 'perf', hz: 499 }, runtime: false } },
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/' }],
      workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '3s', rate: 4000 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout);
    const fns = await query<{ function: string; total: number }>(
      db,
      `SELECT function, total FROM profile_functions WHERE run_id = '${runId}' AND phase = 'steady' AND type = 'cpu' ORDER BY total DESC`,
    );
    const ngx = fns.filter((f) => f.function.startsWith('ngx_')).map((f) => f.function);
    expect(
      ngx.length,
      fns
        .slice(0, 20)
        .map((f) => f.function)
        .join(', '),
    ).toBeGreaterThan(5);
    expect(ngx).toEqual(expect.arrayContaining(['ngx_process_events_and_timers', 'ngx_http_core_run_phases']));
    // Kernel frames are kept and marked: nginx's work is mostly socket I/O.
    expect(fns.some((f) => f.function.startsWith('[k] '))).toBe(true);
    expect(headroomPerfs()).toEqual([]);
  });

  it('follows a process the service starts after perf attached, and stops when the service crashes: failed run, its profile kept, no perf left', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const svcFile = join(dir, 'forks.mjs');
    // Once ready, the service forks a child that burns CPU in burnChild; after 3 s the service crashes.
    writeFileSync(
      svcFile,
      `import { createServer } from 'node:http';
import { fork } from 'node:child_process';
if (process.argv[2] === 'child') {
  function burnChild() { let x = 0; for (let i = 0; i < 1e6; i++) { ${'x = (x * 31 + i) | 0; x ^= x >>> 3; '.repeat(40)} } return x; }
  setInterval(() => burnChild(), 20);
  process.on('disconnect', () => process.exit(0));
} else {
  createServer((req, res) => res.end('ok')).listen(${port}, '127.0.0.1', () => {
    setTimeout(() => fork(new URL(import.meta.url).pathname, ['child']), 1500);
    setTimeout(() => process.exit(7), 4000);
  });
}
`,
    );
    const file = writeScenario(
      dir,
      'forks',
      `{
      name: 'perf-forks',
      service: { command: ['node', ${JSON.stringify(svcFile)}], ready: 'http://127.0.0.1:${port}/', cpus: [0],
        capture: { cpu: { profiler: 'perf', hz: 199 }, runtime: false } },
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/' }],
      workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '10s', rate: 20 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.error).toContain('the service died during the run');
    // What perf recorded up to the crash is kept, the child's function included.
    const fns = await query<{ function: string }>(
      db,
      `SELECT function FROM profile_functions WHERE run_id = '${out.runId}' AND phase = 'steady' AND type = 'cpu'`,
    );
    expect(fns.map((f) => f.function)).toContain('burnChild');
    expect(headroomPerfs()).toEqual([]);
  });

  it('leaves no perf behind when headroom is killed mid-run (kill -9)', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const svc = burnService(dir, port);
    const file = writeScenario(
      dir,
      'kill',
      `{
      name: 'perf-kill',
      service: { command: ['node', ${JSON.stringify(svc.file)}], ready: 'http://127.0.0.1:${port}/health', cpus: [0],
        capture: { cpu: { profiler: 'perf' }, runtime: false } },
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/work' }],
      workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '20s', rate: 50 }],
    }`,
    );
    let sawPerf = false;
    const mapsBefore = perfMaps();
    const r = await headroom(['run', file, '--json', '--db', db], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (headroomPerfs().length > 0) {
            sawPerf = true;
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), 1500);
          }
        }, 100);
        child.on('exit', () => clearInterval(poll));
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(sawPerf).toBe(true);
    // The supervisor stops the service once headroom is gone; perf ends when its target does.
    const until = Date.now() + 10_000;
    while ((headroomPerfs().length > 0 || newMaps(mapsBefore).length > 0) && Date.now() < until)
      await new Promise((res) => setTimeout(res, 200));
    expect(headroomPerfs()).toEqual([]);
    // The supervisor removes the service's JIT map when it stops it, as headroom could not.
    expect(newMaps(mapsBefore)).toEqual([]);
  });
});

describe('perf missing', () => {
  it('fails the run before the service starts, naming the package to install', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    // A PATH with taskset (headroom pins with it) and no perf.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    if (taskset) symlinkSync(taskset, join(bin, 'taskset'));
    const started = join(dir, 'started');
    const svcFile = join(dir, 'svc.mjs');
    writeFileSync(
      svcFile,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(started)}, 'yes');\nsetInterval(() => {}, 1000);\n`,
    );
    const file = writeScenario(
      dir,
      'noperf',
      `{
      name: 'perf-missing',
      service: { command: ['node', ${JSON.stringify(svcFile)}], ready: 'http://127.0.0.1:${port}/', cpus: [0],
        capture: { cpu: { profiler: 'perf' } } },
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/' }],
      workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '2s', rate: 10 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db], { env: { PATH: bin } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('apt-get install linux-perf');
    expect(JSON.parse(r.stdout).error).toContain("service.capture.cpu.profiler 'perf'");
    expect(existsSync(started)).toBe(false);
  });
});
