import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_NAMES } from '@headroom/core';
import { NameTable, TooManyNamesError } from './name-table.ts';

describe('NameTable', () => {
  it('fails past MAX_REQUEST_NAMES names with a message that names the fix', () => {
    const t = new NameTable('steady');
    for (let i = 0; i < MAX_REQUEST_NAMES; i++) t.get(`n${i}`);
    expect(t.get('n0').name).toBe('n0');
    expect(() => t.get('GET /users/abc-1')).toThrow(TooManyNamesError);
    expect(() => t.get('GET /users/abc-1')).toThrow(/pass \{ name: '…' \}/);
  });
});
