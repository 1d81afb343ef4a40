/**
 * Capture must never take the SUT or the run down: an agent that cannot load, a profiler
 * that breaks, and a runner that goes away all leave a serving SUT and, where the runner
 * is still there, a warning.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCapture } from './session.ts';
import type { SpanRow } from './types.ts';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/heavy-server.ts', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../test/fixtures/runner-proc.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'headroom-robust-'));
  dirs.push(d);
  return d;
}

function startSut(args: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [...args, FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`SUT exited with ${code}`)));
  });
}

const get = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).status;
const waitFor = async (cond: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
};

describe('robustness', () => {
  it('an agent that cannot load: the SUT serves and the runner gets a warning', async () => {
    const warnings: string[] = [];
    const session = await startCapture({
      runId: 'r',
      artifactsDir: await tempDir(),
      serviceName: 's',
      capture: { cpu: true, heap: false, traces: { sample: 1 }, runtime: true },
      onWarning: (m) => warnings.push(m),
    });
    // The entry point alone, without the modules it imports: the dynamic import fails.
    const lonely = join(await tempDir(), 'agent.ts');
    await copyFile(fileURLToPath(new URL('../agent/agent.ts', import.meta.url)), lonely);
    const port = await startSut(['--import', lonely], session.env);
    expect(await get(port)).toBe(200);
    await waitFor(() => warnings.length > 0);
    expect(warnings.join('\n')).toMatch(/agent failed to start/);
    await session.setPhase('steady', true);
    expect(warnings.join('\n')).toMatch(/not connected/);
    const r = await session.finish();
    expect(r.profiles).toEqual([]);
    expect(await get(port)).toBe(200);
  }, 30_000);

  it('a profiler that breaks: a warning, and traces and the SUT carry on', async () => {
    const warnings: string[] = [];
    const spans: SpanRow[] = [];
    const session = await startCapture({
      runId: 'r',
      artifactsDir: await tempDir(),
      serviceName: 's',
      capture: { cpu: true, heap: false, traces: { sample: 1 }, runtime: false },
      onWarning: (m) => warnings.push(m),
      onSpans: (batch) => spans.push(...batch),
    });
    // An impossible sampling interval makes the native profiler refuse to start.
    const config = JSON.parse(session.env['HEADROOM_CAPTURE']!) as Record<string, unknown>;
    const env = { ...session.env, HEADROOM_CAPTURE: JSON.stringify({ ...config, wallIntervalMicros: -5 }) };
    const port = await startSut(session.nodeArgs, env);
    await session.setPhase('steady', true);
    for (let i = 0; i < 5; i++) expect(await get(port)).toBe(200);
    await session.setPhase(null, false);
    const r = await session.finish();
    expect(r.warnings.join('\n')).toMatch(/phase failed|no CPU profile/);
    expect(spans.filter((s) => s.kind === 'server').length).toBe(5);
    expect(r.spanCount).toBe(spans.length);
    expect(await get(port)).toBe(200);
  }, 30_000);

  it('a runner that goes away mid-phase: the SUT keeps serving', async () => {
    const runner = spawn(process.execPath, [RUNNER, await tempDir()], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(runner);
    let out = '';
    const line = (re: RegExp) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const m = re.exec(out);
          if (m) resolve(m[0]);
        };
        runner.stdout!.on('data', (d) => {
          out += String(d);
          check();
        });
        check();
      });
    const session = JSON.parse(await line(/^\{.*\}$/m)) as { nodeArgs: string[]; env: Record<string, string> };
    const port = await startSut(session.nodeArgs, session.env);
    runner.stdin!.write('go\n');
    await line(/^steady$/m);
    expect(await get(port)).toBe(200);
    runner.kill('SIGKILL');
    // Profiling keeps running and its uploads now fail; the SUT must not notice.
    const end = Date.now() + 2500;
    let n = 0;
    while (Date.now() < end) {
      expect(await get(port)).toBe(200);
      n++;
    }
    expect(n).toBeGreaterThan(10);
  }, 30_000);
});
