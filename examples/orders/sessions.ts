/**
 * Logins and carts for the scripted-load example (scenarios/flows.ts): POST /login returns a
 * bearer token (and a session cookie); GET/POST /cart and POST /checkout need the token. Tokens
 * are HMACs of the user name, so any instance verifies them without shared state.
 */
import { createHmac } from 'node:crypto';

const SECRET = 'headroom-example';
const carts = new Map<string, { sku: string; qty: number }[]>();

/** The token of `user`: `user.mac`. */
export function tokenFor(user: string): string {
  return `${user}.${createHmac('sha256', SECRET).update(user).digest('hex').slice(0, 24)}`;
}

/** The user a `Bearer <token>` header names, or null when it is missing or forged. */
export function userOf(authorization: string | undefined): string | null {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  const user = token.slice(0, token.lastIndexOf('.'));
  return user !== '' && tokenFor(user) === token ? user : null;
}

/** Logs in: the example accepts a password that is the user name reversed (the CSV in scenarios/data/ holds matching pairs). */
export function login(body: unknown): { token: string; user: string } | string {
  const b = body as { user?: unknown; password?: unknown } | null;
  if (typeof b?.user !== 'string' || typeof b.password !== 'string') return 'user and password are required';
  if (b.password !== [...b.user].reverse().join('')) return 'wrong password';
  return { token: tokenFor(b.user), user: b.user };
}

export function cartOf(user: string): { sku: string; qty: number }[] {
  let c = carts.get(user);
  if (c === undefined) carts.set(user, (c = []));
  return c;
}

/** Empties a user's cart and returns what it held. */
export function takeCart(user: string): { sku: string; qty: number }[] {
  const c = cartOf(user);
  carts.delete(user);
  return c;
}
