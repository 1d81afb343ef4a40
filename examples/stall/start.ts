/** Starts examples/stall/server.ts as a child process (optionally pinned) and resolves its URL. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface StallServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

/** `prefix`: a command to run it under, e.g. ['nice', '-n', '-15', 'taskset', '-c', '0']. */
/** `report`: file the server writes its blocked intervals to when stopped (see server.ts). */
export function startStallServer(o: { stallMs: number; periodMs: number; prefix?: string[]; report?: string }): Promise<StallServer> {
  const argv = [
    ...(o.prefix ?? []),
    process.execPath,
    SERVER,
    '--stall',
    String(o.stallMs),
    '--period',
    String(o.periodMs),
    ...(o.report ? ['--report', o.report] : []),
  ];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`stall server exited early (${code})`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m === null) return;
      child.removeAllListeners('exit');
      resolve({
        url: m[1]!,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((r) => {
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
