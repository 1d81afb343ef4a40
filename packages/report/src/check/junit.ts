/**
 * JUnit XML of `headroom check`, as Jenkins' JUnit plugin and GitLab's unit test reports
 * read it: one <testsuite> with one <testcase> per check (classname = the check's group),
 * a <failure> with the value and the limit for a failed or no-data check, <skipped> (its
 * reason as text) for a note. Elements, their order and attributes per the JUnit XML schema
 * Jenkins reads (dtkit junit-4.xsd, as the JUnit 5 project keeps it: testsuite name, tests,
 * failures, errors, skipped, time, timestamp, hostname; testcase name, classname, time;
 * failure and error message, type; skipped takes no attributes). A test validates the
 * output against that schema with xmllint.
 */
import type { CheckOutcome } from '@headroom/runner';
import { formatCheckValue } from './check-text.ts';

/** XML-escapes text and attribute values; drops characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The JUnit XML document. `timestamp` is when the check started (ISO 8601 without zone, as the schema's xs:dateTime pattern wants). */
export function formatCheckJUnit(o: CheckOutcome, timestamp: Date, seconds: number): string {
  const failures = o.checks.filter((c) => c.verdict === 'failed' || c.verdict === 'no-data').length;
  const skipped = o.checks.filter((c) => c.verdict === 'note').length;
  const errors = o.status === 'run-failed' ? 1 : 0;
  const cases = o.checks.map((c) => {
    const open = `    <testcase name="${xmlEscape(c.name)}" classname="headroom.${xmlEscape(c.group)}" time="0">`;
    if (c.verdict === 'passed')
      return `${open}\n      <system-out>${xmlEscape(`${formatCheckValue(c)} (limit ${c.limit}): ${c.detail}`)}</system-out>\n    </testcase>`;
    // The schema types <skipped> as text without attributes: the note's reason is its text.
    if (c.verdict === 'note') return `${open}\n      <skipped>${xmlEscape(c.detail)}</skipped>\n    </testcase>`;
    const message = `${c.name}: ${formatCheckValue(c)}, limit ${c.limit}`;
    return `${open}\n      <failure message="${xmlEscape(message)}" type="${c.verdict}">${xmlEscape(c.detail)}</failure>\n    </testcase>`;
  });
  if (errors)
    cases.push(
      `    <testcase name="run" classname="headroom.run" time="0">\n      <error message="${xmlEscape(o.runError ?? 'the run failed')}" type="run-failed"/>\n    </testcase>`,
    );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="headroom check" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(`headroom check ${o.scenario}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds.toFixed(3)}" timestamp="${timestamp.toISOString().slice(0, 19)}" hostname="localhost">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
