/** A path segment that is an id rather than a route: a number, a UUID, or a long hex string. */
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

/**
 * The default name of a request: its method and path template, the query dropped and id-like
 * segments written `:id`, so `GET /users/42?x=1` and `GET /users/43` report together as
 * `GET /users/:id` (bounded cardinality without the user naming every request).
 */
export function pathTemplate(method: string, path: string): string {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  return `${method} ${bare
    .split('/')
    .map((s) => (ID_SEGMENT.test(s) ? ':id' : s))
    .join('/')}`;
}
