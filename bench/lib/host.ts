/** The host line every benchmark prints first, so figures can be compared across hosts (issue 17 item 5). */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** CPU model (with family/model where /proc/cpuinfo has them), cores, kernel, Node version, date. */
export function hostLine(): string {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const fam = /^cpu family\s*:\s*(\d+)/m.exec(info)?.[1];
    const mod = /^model\s*:\s*(\d+)/m.exec(info)?.[1];
    if (fam !== undefined && mod !== undefined) model += ` (family ${fam} model ${mod})`;
  } catch {
    /* not Linux: the model name alone */
  }
  return `host: ${model}, ${os.cpus().length} cores, ${os.type()} ${os.release()}, Node ${process.version}, ${new Date().toISOString()}`;
}

/** Prints the host line. */
export function printHost(): void {
  process.stdout.write(`${hostLine()}\n`);
}
