import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';

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
    // -o -: the report itself on stdout, as `>> "$GITHUB_STEP_SUMMARY"` needs it.
    const piped = await headroom(['report', 'rep', '--format', 'md', '-o', '-', '--db', db]);
    expect(piped.code, piped.stderr).toBe(0);
    const written = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(piped.stdout.split('\n')[0]).toBe(written.split('\n')[0]);
    expect(piped.stdout).toContain(runId);
    expect(piped.stdout).not.toContain('written to');
  }, 60_000);

  it('draws the capacity of a step run without `headroom capacity` first (computed, not stored), the same as the stored analysis', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'steps',
      `{ name: 'steps', target: 'http://127.0.0.1:${port}', ${ordersService(port)}, workers: { cpus: [1] },
      requests: [{ method: 'GET', path: '/orders?limit=5' }], slo: { p99: '200ms' }, expectedPeak: 200,
      phases: [{ name: 'steps', rate: { from: 200, to: 600, step: 200 }, stepDuration: '1s' }] }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const capacityLine = async (out: string) => {
      const md = await headroom(['report', runId, '--format', 'md', '-o', join(dir, out), '--db', db]);
      expect(md.code, md.stderr).toBe(0);
      return /SLO-bounded capacity \*\*[\d,]+ req\/s\*\* \(bracket [^)]+\), limited by [\w-]+\.\n\nHeadroom \*\*[\d.]+×\*\*/.exec(
        readFileSync(join(dir, out), 'utf8'),
      )?.[0];
    };
    const computed = await capacityLine('computed.md');
    expect(computed).toBeDefined();
    // Nothing was written: the report only reads.
    expect(await query(db, `SELECT * FROM capacity WHERE run_id = '${runId}'`)).toEqual([]);
    const cap = await headroom(['capacity', runId, '--json', '--db', db]);
    expect(cap.code, cap.stderr).toBe(0);
    expect(await capacityLine('stored.md')).toBe(computed);
  }, 60_000);
});
