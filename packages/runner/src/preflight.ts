/**
 * Checks made before anything starts: the target's host resolves, and the service's ready
 * port is free. Failing either is a failed run that names what is wrong.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { RunFailedError } from '@headroom/core';
import { portOwner } from './service/port-owner.ts';

/** Before a service starts, its readiness port must be free: load on an orphan or another process measures the wrong thing. */
export function assertPortFree(ready: string): void {
  const url = new URL(ready);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const owner = portOwner(port);
  if (owner === null) return;
  const who =
    owner.pid === null
      ? 'a process /proc does not show (another user or namespace)'
      : `pid ${owner.pid}${owner.command ? ` (${owner.command})` : ''}`;
  throw new RunFailedError(
    'E_PORT_IN_USE',
    `port ${port} of service.ready (${ready}) is already in use by ${who}; stop it (an orphan of an earlier run?) or give the service another port`,
  );
}

/** A target whose host does not resolve fails the run before anything starts, naming the host. */
export async function resolveTarget(target: string): Promise<void> {
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return;
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error('no answer within 5s')), 5000).unref();
  });
  try {
    await Promise.race([lookup(host), timeout]);
  } catch (err) {
    throw new RunFailedError(
      'E_HOST_UNRESOLVED',
      `the target host "${host}" (${target}) does not resolve: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; check the target URL`,
    );
  }
}
