/**
 * The scenario's `target`: a base URL, or `{ url, tls }` for an https:// target with TLS
 * options. File paths in `tls` resolve against the scenario file's folder and must exist
 * at validation, so a missing CA or key file stops the run before anything starts.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isIP } from 'node:net';
import { Checker, join } from './checker.ts';
import type { Tls } from './scenario.ts';

/** Defaults of `target.tls`; README documents each. */
export const TLS_DEFAULTS = {
  insecure: false,
  resume: true,
} as const;

const TARGET_KEYS = ['url', 'tls'];
const TLS_KEYS = ['ca', 'insecure', 'cert', 'key', 'servername', 'resume', 'groups'];
/** A DNS name as SNI carries it (RFC 6066 §3: a host name, no port, no trailing dot, not an IP). */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The resolved target: its base URL (no trailing slash) and TLS options (non-null exactly for https://). */
export interface ResolvedTarget {
  url: string | undefined;
  tls: Tls | null;
}

/**
 * Checks `target` (a URL string or `{ url, tls }`), records every problem in `c`, and
 * resolves TLS file paths against `file`'s folder.
 */
export function checkTarget(c: Checker, raw: unknown, file: string): ResolvedTarget {
  let urlRaw: unknown = raw;
  let tlsRaw: unknown;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    c.known(o, 'target', TARGET_KEYS);
    urlRaw = o['url'];
    tlsRaw = o['tls'];
  }
  const path = typeof raw === 'object' && raw !== null ? 'target.url' : 'target';
  const url = checkHttpUrl(c, urlRaw, path);
  if (url === undefined) return { url, tls: null };
  const https = url.startsWith('https:');
  if (!https) {
    if (tlsRaw !== undefined) c.add('target.tls', 'TLS options need an https:// target', `write ${url.replace(/^http:/, 'https:')}`);
    return { url, tls: null };
  }
  return { url, tls: checkTls(c, tlsRaw, dirname(resolve(file))) };
}

/**
 * An http:// or https:// URL without trailing slashes (the target, service.ready). `schemeHint`
 * ends the message for another protocol.
 */
export function checkHttpUrl(c: Checker, v: unknown, path: string, schemeHint = 'use an http:// or https:// URL'): string | undefined {
  const s = c.string(v, path);
  if (s === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return c.add(path, `"${s}" is not a URL`, 'write e.g. "http://127.0.0.1:3000" or "https://127.0.0.1:8443"');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return c.add(path, `protocol ${u.protocol} is not supported`, schemeHint);
  return s.replace(/\/+$/, '');
}

function checkTls(c: Checker, raw: unknown, dir: string): Tls {
  const o = c.object(raw, 'target.tls', false) ?? {};
  c.known(o, 'target.tls', TLS_KEYS);
  const p = (k: string): string => join('target.tls', k);
  const caRaw = o['ca'];
  const ca: string[] = [];
  if (caRaw !== undefined) {
    const list = Array.isArray(caRaw) ? caRaw : [caRaw];
    if (list.length === 0) c.add(p('ca'), 'is an empty list', "name a PEM file, or leave ca out for Node's bundled roots");
    list.forEach((f, i) => {
      const at = Array.isArray(caRaw) ? `${p('ca')}[${i}]` : p('ca');
      const abs = checkFile(c, f, at, dir);
      if (abs !== undefined) ca.push(abs);
    });
  }
  const cert = o['cert'] === undefined ? null : (checkFile(c, o['cert'], p('cert'), dir) ?? null);
  const key = o['key'] === undefined ? null : (checkFile(c, o['key'], p('key'), dir) ?? null);
  if ((o['cert'] === undefined) !== (o['key'] === undefined))
    c.add(
      o['cert'] === undefined ? p('cert') : p('key'),
      'mutual TLS needs both cert and key',
      'give the client certificate and its private key, or neither',
    );
  const servername = c.string(o['servername'], p('servername'), false);
  if (servername !== undefined && (!HOST_NAME.test(servername) || isIP(servername) !== 0))
    c.add(p('servername'), `"${servername}" is not a host name`, 'SNI carries a DNS name such as "api.local", without port or IP address');
  const groups = c.string(o['groups'], p('groups'), false);
  if (groups !== undefined && !/^[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)*$/.test(groups))
    c.add(p('groups'), `"${groups}" is not a list of group names`, "OpenSSL names joined by ':', e.g. 'X25519:P-256'");
  const insecure = c.boolean(o['insecure'], p('insecure')) ?? TLS_DEFAULTS.insecure;
  return {
    ca,
    insecure,
    cert,
    key,
    servername: servername ?? null,
    resume: c.boolean(o['resume'], p('resume')) ?? TLS_DEFAULTS.resume,
    groups: groups ?? null,
  };
}

/** A readable regular file named relative to the scenario's folder: its absolute path. */
function checkFile(c: Checker, v: unknown, path: string, dir: string): string | undefined {
  const f = c.string(v, path);
  if (f === undefined) return undefined;
  const abs = resolve(dir, f);
  try {
    if (!statSync(abs).isFile()) return c.add(path, `${f} (${abs}) is not a file`, 'name a PEM file');
    accessSync(abs, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return c.add(path, `file ${f} does not exist (looked for ${abs})`, 'paths are relative to the scenario file');
    return c.add(path, `file ${f} (${abs}) cannot be read: ${code ?? (err as Error).message}`);
  }
  return abs;
}
