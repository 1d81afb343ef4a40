/** Starts a private nginx (Debian package `nginx`) on a free 127.0.0.1 port, pinned with taskset; plain HTTP or HTTPS. */
import { spawn } from 'node:child_process';
import net from 'node:net';
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

/** HTTPS: the server's PEM files and, for mutual TLS, the CA client certificates must chain to (`ssl_verify_client on`). */
export interface NginxTls {
  cert: string;
  key: string;
  clientCa?: string;
}

/**
 * `keepaliveRequests`: requests per connection before nginx closes it (forces reconnects), @default 100000000;
 * `locations`: extra nginx `location` blocks served before the catch-all `location / { return 200 'ok'; }`.
 */
export async function startNginx(
  cpus: number[],
  tls?: NginxTls,
  options: { keepaliveRequests?: number; locations?: string } = {},
): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-nginx-'));
  const port = await freePort();
  // Sessions resume from tickets (nginx's default) or the shared cache, as a production nginx is set up.
  const ssl =
    tls === undefined
      ? ''
      : `ssl_certificate ${tls.cert}; ssl_certificate_key ${tls.key}; ssl_session_cache shared:tls:10m; ssl_session_timeout 10m;` +
        (tls.clientCa === undefined ? '' : ` ssl_client_certificate ${tls.clientCa}; ssl_verify_client on;`);
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
  keepalive_requests ${options.keepaliveRequests ?? 100000000};
  server {
    listen 127.0.0.1:${port}${tls === undefined ? '' : ' ssl'};
    ${ssl}
    ${options.locations ?? ''}
    location / { return 200 'ok'; }
  }
}
`,
  );
  const [cmd, args] = pinned(cpus, ['/usr/sbin/nginx', '-p', dir, '-c', join(dir, 'nginx.conf')]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  if (tls === undefined) await waitForHttp(url, 5000);
  else await waitForPort(port, 5000);
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

/** Polls until something accepts TCP connections on 127.0.0.1:`port`. */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
