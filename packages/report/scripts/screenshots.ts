/**
 * Screenshots of each section of a report at 1280×800 for the README:
 *   node packages/report/scripts/screenshots.ts <report.html> <out-dir> [prefix]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { shootSections } from './shoot-sections.ts';

const [file = 'report.html', outDir = 'docs/report', prefix = ''] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
for (const path of await shootSections(readFileSync(file, 'utf8'), outDir, { prefix })) console.log(path);
