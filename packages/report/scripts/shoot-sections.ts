/**
 * Screenshots of a report's sections at 1280×800, each with its section scrolled to the top
 * (or each whole section), for the docs. Fails when the page logged an error or asked for anything outside its file.
 */
import { join } from 'node:path';
import { openReport } from '../test/browser.ts';

/** Options of {@link shootSections}. */
export interface ShootSectionsOptions {
  /** Section ids to shoot (`capacity`, `trend` …). @default every section */
  only?: readonly string[];
  /** Prefix of the file names: `<prefix><id>.png`. @default '' */
  prefix?: string;
  /** Shoot each whole section (1280 wide, as tall as it is) instead of the 1280×800 screen from its top. @default false */
  whole?: boolean;
}

/** Writes `<outDir>/<prefix><section id>.png` per section; returns the paths. */
export async function shootSections(html: string, outDir: string, options: ShootSectionsOptions = {}): Promise<string[]> {
  const r = await openReport(html);
  const paths: string[] = [];
  try {
    const ids = await r.page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => s.id));
    const missing = (options.only ?? []).filter((id) => !ids.includes(id));
    if (missing.length) throw new Error(`the report has no ${missing.join(', ')} section (it has ${ids.join(', ')})`);
    for (const id of ids.filter((i) => !options.only || options.only.includes(i))) {
      await r.page.evaluate((sid) => {
        const el = document.getElementById(sid)!;
        window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 44);
      }, id);
      await r.page.waitForTimeout(100);
      const path = join(outDir, `${options.prefix ?? ''}${id}.png`);
      if (options.whole) {
        // The whole section, page-wide, below the sticky header: a clip of the full page from the top.
        await r.page.evaluate(() => window.scrollTo(0, 0));
        const box = await r.page.evaluate((sid) => {
          const b = document.getElementById(sid)!.getBoundingClientRect();
          return { y: b.top + window.scrollY, height: b.height };
        }, id);
        await r.page.screenshot({ path, fullPage: true, clip: { x: 0, y: Math.max(0, box.y - 8), width: 1280, height: box.height + 16 } });
      } else await r.page.screenshot({ path });
      paths.push(path);
    }
    if (r.consoleErrors.length || r.outside.length)
      throw new Error(`the report logged ${JSON.stringify(r.consoleErrors)} and requested ${JSON.stringify(r.outside)}`);
  } finally {
    await r.close();
  }
  return paths;
}
