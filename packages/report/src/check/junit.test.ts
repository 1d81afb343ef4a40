import type { CheckResult } from '@headroom/analysis';
import type { CheckOutcome } from '@headroom/runner';
import { describe, expect, it } from 'vitest';
import { validateJUnit, xmllintMissing } from '../../test/junit-schema.ts';
import { formatCheckJUnit } from './junit.ts';

const check = (c: Partial<CheckResult>): CheckResult => ({
  name: 'steady.p99 < 50ms',
  group: 'threshold',
  value: 12.5,
  limit: '< 50ms',
  unit: 'ms',
  verdict: 'passed',
  detail: 'passed',
  ...c,
});

/** Every kind of testcase the writer emits: passed, failed, no data, a note, and the failed run. */
const outcome: CheckOutcome = {
  scenario: 'orders <&> "api"',
  expectedPeak: 1500,
  candidateRuns: ['20261202-070000-aaaa'],
  bench: 'serialise',
  candidateBenchRuns: ['20261202-070100-bbbb'],
  candidateSha: 'e4f5a6b7',
  candidateDirty: false,
  baselineRuns: [],
  baselineBenchRuns: [],
  baselineSha: null,
  baselineHeadroom: null,
  baselineNote: 'no --baseline given: regressions were not checked',
  checks: [
    check({}),
    check({ name: 'rss', group: 'budget', value: 612, unit: 'MB', limit: '< 512MB', verdict: 'failed', detail: 'highest RSS <of> 1 run' }),
    check({ name: 'slo p99 at peak', group: 'slo-at-peak', value: null, verdict: 'no-data', detail: 'nothing offered at the peak' }),
    check({ name: 'baseline', group: 'baseline', value: null, unit: '', verdict: 'note', detail: 'no --baseline given' }),
    check({
      name: 'regression bench JSON.stringify median',
      group: 'regression',
      value: 99.8,
      unit: '%',
      verdict: 'failed',
      detail: '+99.8% (n=6+6, p=0.002)',
    }),
  ],
  evidence: null,
  status: 'run-failed',
  runError: 'the service exited with code 1 \u0007 during "peak"',
  exitCode: 3,
};

// The schema is Jenkins' JUnit schema (dtkit junit-4.xsd) as the JUnit 5 project vendors it:
// test/fixtures/jenkins-junit.xsd names its source and licence. Skipped without xmllint on a
// developer's machine (saying why); in CI (.ci/run installs it) a missing xmllint fails.
const missing = process.env['CI'] ? null : xmllintMissing();
if (missing) console.warn(`skipping the JUnit schema tests: ${missing}`);
describe.skipIf(missing !== null)('check --junit against the Jenkins JUnit XML schema (xmllint)', () => {
  it('a document with every kind of testcase is valid', () => {
    const xml = formatCheckJUnit(outcome, new Date('2026-12-02T07:00:00Z'), 12.5);
    const v = validateJUnit(xml);
    expect(v.messages).toMatch(/validates$/);
    expect(v.valid).toBe(true);
    expect(xml).toContain('<skipped>no --baseline given</skipped>');
    expect(xml).toMatch(/<failure message="rss: 612\.0MB, limit &lt; 512MB" type="failed">highest RSS &lt;of&gt; 1 run<\/failure>/);
    expect(xml).toContain('<error message="the service exited with code 1  during &quot;peak&quot;" type="run-failed"/>');
  });
  it('the validator fails documents the schema refuses, naming what is wrong', () => {
    const xml = formatCheckJUnit(outcome, new Date('2026-12-02T07:00:00Z'), 12.5);
    // a testcase without its required name
    const noName = validateJUnit(xml.replace('<testcase name="rss" ', '<testcase '));
    expect(noName.valid).toBe(false);
    expect(noName.messages).toMatch(/testcase.*The attribute 'name' is required/);
    // an attribute on <skipped> (the schema types it as a plain string: no attributes)
    const skipped = validateJUnit(xml.replace('<skipped>', '<skipped message="a note">'));
    expect(skipped.valid).toBe(false);
    expect(skipped.messages).toMatch(/skipped.*The attribute 'message' is not allowed/);
    // elements out of the schema's order: <failure> before <skipped>
    const order = validateJUnit(xml.replace('<skipped>', '<failure message="x"/><skipped>'));
    expect(order.valid).toBe(false);
    // not well-formed
    expect(validateJUnit(xml.replace('</testsuites>', '')).valid).toBe(false);
  });
});
