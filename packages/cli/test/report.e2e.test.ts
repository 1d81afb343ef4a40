import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, tempDir, writeScenario } from './helpers.ts';

describe('headroom report and run --report (end to end)', () => {
  it('writes one self-contained HTML file next to the run, and Markdown of the same run by scenario name', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'rep',
      `{ name: 'rep', target: 'http://127.0.0.1:${port}', ${ordersService(port)}, workers: { cpus: [1] },
      requests: [{ method: 'GET', path: '/orders?limit=5' }], phases: [{ name: 'steady', duration: '2s', rate: 200 }] }`,
    );
    const r = await headroom(['run', file, '--report', '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const html = join(dir, runId, 'report.html');
    expect(r.stderr).toContain(`report: ${html}`);
    const text = readFileSync(html, 'utf8');
    expect(statSync(html).size).toBeLessThan(3 * 1024 * 1024);
    expect(text).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;[^"]*connect-src &#39;none&#39;/);
    expect(text).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    const md = await headroom(['report', 'rep', '--format', 'md', '-o', join(dir, 'r.md'), '--db', db]);
    expect(md.code, md.stderr).toBe(0);
    expect(existsSync(join(dir, 'r.md'))).toBe(true);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain(runId);
  }, 60_000);
});
