/**
 * The report's size and time, stage by stage (docs/report/README.md quotes them): writes the
 * HTML and Markdown reports of a run as `headroom report` does, without the capacity and
 * forecast analyses, and prints the file size, each section's data size and each stage's time.
 *   node packages/report/scripts/report-from-db.ts <db> [run|latest] [out.html] [--baseline <run>] [--json]
 */
import { writeFileSync } from 'node:fs';
import { Store, resolveRunRef } from '@headroom/store';
import { readReportRows } from '@headroom/store';
import { buildReportData, renderHtmlReport, renderMarkdownReport } from '../src/index.ts';

const args = process.argv.slice(2);
const bi = args.indexOf('--baseline');
const baselineRef = bi >= 0 ? args.splice(bi, 2)[1] : undefined;
const json = args.includes('--json');
const [db = 'results/headroom.duckdb', ref = 'latest', out = 'report.html'] = args.filter((a) => a !== '--json');
const t0 = performance.now();
const store = await Store.open(db, { readOnly: true });
const rows = await readReportRows(store, await resolveRunRef(store, ref));
const baseline = baselineRef ? await readReportRows(store, await resolveRunRef(store, baselineRef)) : null;
store.close();
if (!rows) throw new Error(`no run ${ref}`);
const t1 = performance.now();
const data = await buildReportData(rows, { baseline });
const t2 = performance.now();
const html = await renderHtmlReport(data);
const t3 = performance.now();
writeFileSync(out, html);
writeFileSync(out.replace(/\.html$/, '') + '.md', renderMarkdownReport(data));
if (json) writeFileSync(out.replace(/\.html$/, '') + '.json', JSON.stringify(data));
const sizes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v ?? null).length]));
console.log(
  JSON.stringify(
    {
      out,
      bytes: Buffer.byteLength(html),
      read_ms: Math.round(t1 - t0),
      build_ms: Math.round(t2 - t1),
      render_ms: Math.round(t3 - t2),
      total_ms: Math.round(t3 - t0),
      json_bytes_by_section: sizes,
    },
    null,
    1,
  ),
);
