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

/**
 * Every listening socket on `port` and every process holding one: a pre-forked server
 * (nginx's master and workers, a cluster, SO_REUSEPORT listeners) shares the port among
 * several processes. `listening` is false when nothing listens; `pids` may be empty when
 * the holders are not visible in /proc (another user, container or namespace).
 */
export function portListeners(port: number): { listening: boolean; pids: number[] } {
  const inodes = listeningInodes(port);
  if (inodes.length === 0) return { listening: false, pids: [] };
  const wanted = new Set(inodes.filter((i) => i !== 0).map((i) => `socket:[${i}]`));
  return { listening: true, pids: wanted.size === 0 ? [] : pidsHolding(wanted, false) };
}

function listeningInode(port: number): number | null {
  return listeningInodes(port)[0] ?? null;
}

function listeningInodes(port: number): number[] {
  const out: number[] = [];
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
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) out.push(Number(f[9] ?? 0));
    }
  }
  return out;
}

function pidHolding(inode: number): number | null {
  return pidsHolding(new Set([`socket:[${inode}]`]), true)[0] ?? null;
}

/** Processes with an fd on one of `sockets` (`socket:[inode]` links), in /proc order; the first only when `first`. */
function pidsHolding(sockets: ReadonlySet<string>, first: boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      if (sockets.has(link)) {
        out.push(Number(name));
        if (first) return out;
        break;
      }
    }
  }
  return out;
}
