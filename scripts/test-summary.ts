// Sums the vitest JSON results of every package (written by each package's `test` script,
// restored by Nx from cache when a package did not change) into one closing line.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows: string[] = [];
for (const pkg of readdirSync('packages').sort()) {
  const file = join('packages', pkg, '.test-results.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  rows.push(`  ${pkg.padEnd(10)} ${String(r.numPassedTests).padStart(4)} passed  ${r.numFailedTests} failed`);
}
console.log(`\nheadroom test suite\n${rows.join('\n')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
