/**
 * Screenshots of each section of a report at 1280×800 for the README:
 *   node packages/report/scripts/screenshots.ts <report.html> <out-dir>
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openReport } from '../test/browser.ts';

const [file = 'report.html', outDir = 'docs/report'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const r = await openReport(readFileSync(file, 'utf8'));
try {
  const ids = await r.page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => s.id));
  for (const id of ids) {
    await r.page.evaluate((sid) => {
      const el = document.getElementById(sid)!;
      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 44);
    }, id);
    await r.page.waitForTimeout(100);
    const path = join(outDir, `${id}.png`);
    await r.page.screenshot({ path });
    console.log(path);
  }
  if (r.consoleErrors.length || r.outside.length) console.error({ console: r.consoleErrors, outside: r.outside });
} finally {
  await r.close();
}
