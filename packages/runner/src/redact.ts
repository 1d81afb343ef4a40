/**
 * Keeps secrets out of the store: what a run stores about requests (the resolved config,
 * span attributes, sampled requests, errors and warnings) goes through here first.
 * Redacted: values under secret-looking names (headers, env vars, query parameters, JSON
 * body fields, and the scenario's own `redact` list), and passwords in URL userinfo
 * anywhere in a string (`postgres://app:hunter2@db/x` in DATABASE_URL).
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// Words that make a name secret-looking. `key` counts only beside other words (X-Api-Key,
// AWS_SECRET_ACCESS_KEY), since a bare `key` names a threshold in the config.
const SECRET_WORDS = new Set([
  'pass',
  'passwd',
  'password',
  'pwd',
  'secret',
  'token',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'signature',
  'sig',
  'session',
  'apikey',
  'privatekey',
  'jwt',
  'bearer',
  'sessionid',
]);

/** Splits `X-Api-Key`, `AWS_SECRET_ACCESS_KEY`, `sessionToken` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** True when a header, env var, parameter or field called `name` holds a secret. */
export function isSecretName(name: string, extra: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  if (extra.includes(lower)) return true;
  const ws = words(name);
  if (ws.some((w) => SECRET_WORDS.has(w) || /pass(word|wd)?$|secret|token$/.test(w))) return true;
  if (ws.includes('code')) return ws.length === 1 || ws.some((w) => CODE_SECRETS.has(w));
  return ws.length > 1 && ws.includes('key');
}

// `code` alone (OAuth's ?code=) or beside one of these words is a secret; otherwise it names
// something else: http.response.status_code, exit_code, country_code, OpenTelemetry's code.function.
const CODE_SECRETS = new Set([
  'oauth',
  'otp',
  'totp',
  'mfa',
  'verification',
  'verify',
  'reset',
  'access',
  'recovery',
  'login',
  'invite',
  'pin',
  'sms',
  'one',
  'grant',
]);

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]*)@/gi;
const PARAM = /(^|[?&;])([^=&?#\s;]+)=([^&#\s;]*)/g;

/** A string with URL passwords and secret-looking query (or form) parameters redacted. */
export function redactString(s: string, extra: readonly string[] = []): string {
  let out = s.replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  if (out.includes('=')) {
    out = out.replace(PARAM, (m, sep: string, name: string) => (isSecretName(safeDecode(name), extra) ? `${sep}${name}=${REDACTED}` : m));
  }
  // A JSON document inside a string (a request body): redact its fields too.
  if (/^\s*[[{]/.test(out)) {
    try {
      return JSON.stringify(redact(JSON.parse(out) as unknown, extra));
    } catch {
      /* not JSON */
    }
  }
  return out;
}

/** A deep copy of `value` with every secret redacted (see the module comment). */
export function redact<T>(value: T, extra: readonly string[] = []): T {
  return walk(value, extra) as T;
}

function walk(v: unknown, extra: readonly string[]): unknown {
  if (typeof v === 'string') return redactString(v, extra);
  if (Array.isArray(v)) return v.map((x) => walk(x, extra));
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = isSecretName(k, extra) && (typeof x === 'string' || typeof x === 'number') ? REDACTED : walk(x, extra);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
