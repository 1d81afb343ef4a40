import { describe, it, expect } from 'vitest';
import type { ProfileRow } from '@headroom/capture/profile';
import { pickProfile } from './pick-profile.ts';

const p = (phase: string, type: string): ProfileRow => ({
  phase,
  type,
  path: `/p/${phase}.${type}`,
  sample_type: type,
  unit: 'nanoseconds',
  total: 1,
});

describe('pickProfile', () => {
  const rows = [p('steady', 'cpu'), p('steady', 'wall'), p('peak', 'cpu')];
  it('finds the single profile of a type and phase', () => {
    expect(pickProfile(rows, { type: 'wall' })).toEqual({ status: 'ok', profile: rows[1] });
    expect(pickProfile(rows, { phase: 'peak' })).toEqual({ status: 'ok', profile: rows[2] });
  });
  it('says which phases to choose from, or which types exist', () => {
    expect(pickProfile(rows)).toEqual({ status: 'ambiguous', type: 'cpu', phases: ['peak', 'steady'] });
    expect(pickProfile(rows, { type: 'heap' })).toEqual({ status: 'none', type: 'heap', phase: null, availableTypes: ['cpu', 'wall'] });
  });
});
