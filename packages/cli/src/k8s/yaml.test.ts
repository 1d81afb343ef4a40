import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from './yaml.ts';

// The reference reader is the `yaml` package (eemeli/yaml, YAML 1.2): what toYaml writes must read back as the same data.
describe('toYaml', () => {
  it('round-trips nested maps, lists and scalars', () => {
    const value = {
      apiVersion: 'batch/v1',
      spec: {
        completions: 4,
        suspend: false,
        template: { spec: { containers: [{ name: 'a', args: ['run', 'x.ts'], env: [{ name: 'K', value: 'v' }] }, { name: 'b' }] } },
      },
      empty: {},
      none: [],
      nothing: null,
    };
    expect(parse(toYaml(value))).toEqual(value);
  });

  it('keeps strings that YAML would read as other types as strings', () => {
    const tricky = [
      '0',
      'true',
      'no',
      'Off',
      'Y',
      'null',
      '1/4',
      '1e3',
      '.5',
      '0x1F',
      'batch/v1',
      'a-b_c.d',
      '2026-12-03T18:40:00.000Z',
      '$(HEADROOM_SEGMENT_INDEX)/4',
      'a: b',
      '- x',
      '#c',
      'é\n"q"',
      '',
    ];
    expect(parse(toYaml({ tricky }))).toEqual({ tricky });
  });

  it('quotes keys that are not plain words', () => {
    const value = { 'app.kubernetes.io/name': 'headroom', 'a key': 1, "metadata.annotations['x']": 2 };
    expect(parse(toYaml(value))).toEqual(value);
  });

  it('writes lists of lists', () => {
    const value = { m: [[1, 2], [], [{ a: 1 }]] };
    expect(parse(toYaml(value))).toEqual(value);
  });
});
