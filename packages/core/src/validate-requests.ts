import type { Checker } from './checker.ts';
import { join } from './checker.ts';
import type { HttpMethod, Request } from './scenario.ts';
import { checkChecks } from './validate-scripting.ts';

/** An HTTP field name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
/** Distinct request names a scenario may declare: each is a row per phase in the store and the summary. */
export const MAX_REQUEST_NAMES = 100;

/**
 * Validates the request mix. `path`, `headers` and `json` may be functions (dynamic requests,
 * built per send by the scripted engine); `check` holds named check functions. `required`:
 * false when the scenario has flows instead.
 */
export function checkRequests(c: Checker, raw: unknown, required: boolean): Request[] {
  if (raw === undefined && !required) return [];
  if (!Array.isArray(raw) || raw.length === 0) {
    c.add(
      'requests',
      raw === undefined ? 'is required (or flows)' : 'expected a non-empty array',
      "e.g. [{ method: 'GET', path: '/health' }], or flows: { browse: async (vu) => { … } }",
    );
    return [];
  }
  const out: Request[] = [];
  raw.forEach((r, i) => {
    const p = `requests[${i}]`;
    const o = c.object(r, p);
    if (!o) return;
    c.known(o, p, ['name', 'method', 'path', 'headers', 'json', 'body', 'weight', 'check']);
    const method = (o['method'] ?? 'GET') as HttpMethod;
    if (!METHODS.includes(method))
      c.add(join(p, 'method'), `unknown method ${JSON.stringify(o['method'])}`, `one of ${METHODS.join(', ')}`);
    const dynPath = typeof o['path'] === 'function';
    const dynHeaders = typeof o['headers'] === 'function';
    const dynJson = typeof o['json'] === 'function';
    const path = dynPath ? '/' : checkPath(c, o['path'], join(p, 'path'));
    const headers = dynHeaders ? {} : checkHeaders(c, o['headers'], join(p, 'headers'));
    if (o['json'] !== undefined && o['body'] !== undefined) c.add(p, 'has both json and body', 'keep one');
    let body: string | null = null;
    if (o['json'] !== undefined) {
      if (!dynJson) body = JSON.stringify(o['json']);
      headers['content-type'] ??= 'application/json';
    } else if (o['body'] !== undefined) body = c.string(o['body'], join(p, 'body')) ?? null;
    const weight = o['weight'] === undefined ? 1 : c.number(o['weight'], join(p, 'weight'), { exclusiveMin: 0 });
    const checks = checkChecks(c, o['check'], join(p, 'check'));
    const name = c.string(o['name'], join(p, 'name'), false) ?? `${method} ${dynPath ? p : path}`;
    const dynamic = dynPath || dynHeaders || dynJson;
    if (path !== undefined && weight !== undefined)
      out.push({ name, method, path, headers, body, weight, ...(dynamic ? { dynamic } : {}), ...(checks.length > 0 ? { checks } : {}) });
  });
  const names = new Set(out.map((r) => r.name));
  if (names.size > MAX_REQUEST_NAMES)
    c.add('requests', `has ${names.size} distinct names, more than ${MAX_REQUEST_NAMES}`, 'give requests of one endpoint the same name');
  return out;
}

function checkPath(c: Checker, v: unknown, path: string): string | undefined {
  const s = c.string(v, path);
  if (s !== undefined && !s.startsWith('/')) c.add(path, `"${s}" must start with /`);
  if (s !== undefined && /[\x00-\x20\x7f]/.test(s))
    c.add(
      path,
      `${JSON.stringify(s)} has a space or control character (CR/LF would split the request)`,
      'percent-encode it: %20 for a space',
    );
  return s;
}

function checkHeaders(c: Checker, raw: unknown, path: string): Record<string, string> {
  const headersRaw = raw === undefined ? {} : c.object(raw, path);
  const headers: Record<string, string> = {};
  if (headersRaw)
    for (const [k, v] of Object.entries(headersRaw)) {
      const hp = join(path, k);
      if (!HEADER_NAME.test(k))
        c.add(hp, `${JSON.stringify(k)} is not a valid header name`, "letters, digits and !#$%&'*+-.^_`|~ only (RFC 9110 token)");
      if (typeof v !== 'string') c.add(hp, 'expected a string');
      else if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v))
        c.add(
          hp,
          `value ${JSON.stringify(v)} has a control character (CR/LF would inject headers)`,
          'remove line breaks and control characters',
        );
      else headers[k.toLowerCase()] = v;
    }
  return headers;
}
