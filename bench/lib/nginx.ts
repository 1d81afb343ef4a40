/** Starts a private nginx (Debian package `nginx`) on a free 127.0.0.1 port, pinned with taskset. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from './net.ts';
import { pinned } from './pin.ts';

/** `pid`: nginx's own (nice and taskset exec into it; master_process is off, so it serves requests itself). */
export interface Nginx {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `locations`: extra nginx `location` blocks served before the catch-all `location / { return 200 'ok'; }`. */
export async function startNginx(cpus: number[], locations = ''): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-nginx-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `
worker_processes 1;
daemon off;
master_process off;
error_log ${dir}/error.log crit;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:${port};
    ${locations}
    location / { return 200 'ok'; }
  }
}
`,
  );
  const [cmd, args] = pinned(cpus, ['/usr/sbin/nginx', '-p', dir, '-c', join(dir, 'nginx.conf')]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, 5000);
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
