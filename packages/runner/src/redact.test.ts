import { describe, expect, it } from 'vitest';
import { isSecretName, redact, redactString } from './redact.ts';

describe('redact', () => {
  it('knows secret-looking names and leaves ordinary ones', () => {
    for (const n of [
      'Authorization',
      'Cookie',
      'X-Api-Key',
      'api_key',
      'AWS_SECRET_ACCESS_KEY',
      'DB_PASSWORD',
      'PGPASS',
      'GITHUB_TOKEN',
      'sessionToken',
      'session',
      'sig',
      'signature',
      'code',
      'auth_code',
      'otpCode',
      'verification-code',
      'passwd',
      'client_secret',
    ]) {
      expect(isSecretName(n), n).toBe(true);
    }
    // A code that names something else: span attributes (OpenTelemetry semantic conventions), exits, places.
    for (const n of [
      'http.response.status_code',
      'http.status_code',
      'rpc.grpc.status_code',
      'code.function',
      'exit_code',
      'countryCode',
      'zip_code',
    ])
      expect(isSecretName(n), n).toBe(false);
    for (const n of ['key', 'name', 'path', 'PORT', 'limit', 'Content-Type', 'sku', 'monkey', 'keepAlive'])
      expect(isSecretName(n), n).toBe(false);
    expect(isSecretName('X-Tenant', ['x-tenant'])).toBe(true);
  });

  it('redacts URL passwords, secret query parameters and JSON fields inside strings', () => {
    expect(redactString('postgres://app:hunter2@db:5432/orders')).toBe('postgres://app:[redacted]@db:5432/orders');
    expect(redactString('/orders?limit=10&token=abc123&sig=zz')).toBe('/orders?limit=10&token=[redacted]&sig=[redacted]');
    expect(redactString('/x?ssn=123-45', ['ssn'])).toBe('/x?ssn=[redacted]');
    expect(JSON.parse(redactString('{"sku":"a1","password":"pw","nested":{"apiKey":"k"}}'))).toEqual({
      sku: 'a1',
      password: '[redacted]',
      nested: { apiKey: '[redacted]' },
    });
  });

  it('walks a config: headers, env values (also URL-like ones), bodies, the extra list; structure kept', () => {
    const config = {
      thresholds: [{ key: 'steady.p99', expression: '< 50ms' }],
      requests: [{ path: '/a?code=xyz', headers: { Authorization: 'Bearer t0k', 'X-Tenant': 'acme' }, body: '{"card":"4111","ssn":"1"}' }],
      service: { env: { DATABASE_URL: 'mysql://root:s3cr3t@127.0.0.1/db', PORT: '3000', STRIPE_KEY: 'sk_live' } },
    };
    const r = redact(config, ['x-tenant', 'ssn']);
    expect(r.thresholds[0]?.key).toBe('steady.p99');
    expect(r.requests[0]?.path).toBe('/a?code=[redacted]');
    expect(r.requests[0]?.headers).toEqual({ Authorization: '[redacted]', 'X-Tenant': '[redacted]' });
    expect(JSON.parse(r.requests[0]?.body as string)).toEqual({ card: '4111', ssn: '[redacted]' });
    expect(r.service.env).toEqual({ DATABASE_URL: 'mysql://root:[redacted]@127.0.0.1/db', PORT: '3000', STRIPE_KEY: '[redacted]' });
    expect(JSON.stringify(r)).not.toMatch(/t0k|s3cr3t|sk_live|xyz|acme/);
  });
});
