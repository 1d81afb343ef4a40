/** The host line every benchmark prints, so figures can be compared across machines. */
import { execFileSync } from 'node:child_process';
import { cpus, release } from 'node:os';

/** CPU model (lscpu's family/model too), cores, kernel, Node version and date. */
export function hostLine(): string {
  let family = '';
  try {
    const l = execFileSync('lscpu', { encoding: 'utf8' });
    const f = /^CPU family:\s*(.+)$/m.exec(l)?.[1]?.trim();
    const m = /^Model:\s*(.+)$/m.exec(l)?.[1]?.trim();
    if (f && m) family = ` (family ${f} model ${m})`;
  } catch { /* lscpu missing: the model name from os.cpus() still says what it is */ }
  return `host: ${cpus()[0]?.model ?? 'unknown CPU'}${family}, ${cpus().length} cores, Linux ${release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
