import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.ts';

describe('ERROR_CODES', () => {
  it('the README lists every code with its exit code', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const [code, { exit }] of Object.entries(ERROR_CODES)) expect(readme, code).toContain(`| \`${code}\` | ${exit} |`);
  });
});
