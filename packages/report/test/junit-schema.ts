/**
 * Validates JUnit XML against the JUnit XML schema Jenkins reads (fixtures/jenkins-junit.xsd,
 * Jenkins' dtkit junit-4.xsd as the JUnit 5 project keeps it; source and licence in the file)
 * with libxml2's xmllint (Debian's libxml2-utils, which .ci/run installs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The vendored schema. */
export const JUNIT_XSD = join(import.meta.dirname, 'fixtures/jenkins-junit.xsd');
/** Debian's xmllint. */
export const XMLLINT = '/usr/bin/xmllint';

/** Why schema tests cannot run here, or null when they can. */
export function xmllintMissing(): string | null {
  return existsSync(XMLLINT) ? null : `${XMLLINT} is absent: apt-get install -y libxml2-utils`;
}

/** xmllint's verdict on a document: valid, or its messages (which element, which rule). */
export function validateJUnit(xml: string): { valid: boolean; messages: string } {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-junit-'));
  try {
    const file = join(dir, 'junit.xml');
    writeFileSync(file, xml);
    const r = spawnSync(XMLLINT, ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return { valid: r.status === 0, messages: r.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
