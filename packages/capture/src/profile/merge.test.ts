import { describe, it, expect } from 'vitest';
import { demangle } from './merge.ts';

describe('demangle', () => {
  // Names as @pyroscope/nodejs 0.6.4 processProfile rewrites them: `${path relative to cwd}:${name}:${line}`.
  it('restores the function name Pyroscope prefixed with path and suffixed with line', () => {
    expect(demangle('./src/server.ts:heavyReport:12', '/app/src/server.ts')).toBe('heavyReport');
    expect(demangle('./src/server.ts:(anonymous:L#18:C#34):18', '/app/src/server.ts')).toBe('(anonymous:L#18:C#34)');
    expect(demangle('file:///app/x.mjs:run:3', 'file:///app/x.mjs')).toBe('run');
    expect(demangle('./src/server.ts::7', '/app/src/server.ts')).toBe('(anonymous)');
  });
  it('leaves names alone that are not of that shape or not about that file', () => {
    expect(demangle('heavyReport', '/app/src/server.ts')).toBe('heavyReport');
    expect(demangle('a:b:1', '/app/src/server.ts')).toBe('a:b:1');
    expect(demangle('Garbage Collection', '')).toBe('Garbage Collection');
  });
});
