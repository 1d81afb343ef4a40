/**
 * Who is listening on a local TCP port, from /proc/net/tcp{,6} (sockets in state LISTEN)
 * and /proc/<pid>/fd (which process holds the socket's inode). Used before a service
 * starts: load sent to an orphan or another process on the same port would measure the
 * wrong thing.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { commandLine } from './proc-tree.ts';

/** A listening socket on the port, and the process holding it when /proc shows it. */
export interface PortOwner {
  port: number;
  inode: number;
  pid: number | null;
  command: string | null;
}

const LISTEN = '0A';

/** The listener on `port` (any local address), or null when the port is free. */
export function portOwner(port: number): PortOwner | null {
  const inode = listeningInode(port);
  if (inode === null) return null;
  const pid = inode === 0 ? null : pidHolding(inode);
  return { port, inode, pid, command: pid === null ? null : commandLine(pid) };
}

function listeningInode(port: number): number | null {
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (!local || f[3] !== LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) return Number(f[9] ?? 0);
    }
  }
  return null;
}

function pidHolding(inode: number): number | null {
  const target = `socket:[${inode}]`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${name}/fd/${fd}`) === target) return Number(name);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null;
}
