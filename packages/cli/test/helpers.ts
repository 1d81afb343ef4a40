import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '@headroom/store';

export const REPO = resolve(import.meta.dirname, '../../..');
export const BIN = join(REPO, 'packages/cli/bin/headroom.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `headroom` command. */
export function headroom(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; onSpawn?(c: ChildProcess): void } = {},
): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    options.onSpawn?.(child);
    child.on('exit', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

const made: string[] = [];
// Removed when the test process exits, whatever the outcome: no /tmp/headroom-e2e-* left behind.
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder for one test's store, scenarios and artifacts; removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-e2e-'));
  made.push(dir);
  return dir;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export function writeScenario(dir: string, name: string, body: string): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, `import { defineScenario } from '@headroom/core';\nexport default defineScenario(${body});\n`);
  return file;
}

export async function query<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const store = await Store.open(db);
  try {
    return await store.query<T>(sql);
  } finally {
    store.close();
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the processes a run recorded (service and workers), from the store. */
export async function runPids(db: string, runId: string): Promise<number[]> {
  const [row] = await query<{ pinning: string | null }>(db, `SELECT pinning FROM runs WHERE id = '${runId}'`);
  return (JSON.parse(row?.pinning ?? '[]') as { pid: number }[]).map((p) => p.pid);
}

/** The `service` block of a scenario that runs the bundled orders example on `port`, pinned to CPU 0. */
export function ordersService(port: number, extra = ''): string {
  const orders = join(REPO, 'examples/orders/server.ts');
  return `service: { command: ['node', ${JSON.stringify(orders)}], env: { PORT: '${port}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] ${extra} }`;
}

/** A real HTTP server on 127.0.0.1 answering 'ok', and how many requests it has served. */
export interface OkServer {
  port: number;
  served(): number;
  close(): Promise<void>;
}

/** Starts an {@link OkServer}: the independent count the load tests check what headroom stored against. */
export async function okServer(): Promise<OkServer> {
  let served = 0;
  const server = createHttpServer((_req, res) => {
    served++;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    served: () => served,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
