/**
 * Raw-socket servers that misbehave on purpose, for the failure-path end-to-end tests:
 * each accepts TCP connections on 127.0.0.1 and answers in one broken way.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** How a fault server treats each connection. */
export type Fault = 'reset' | 'garbage' | 'silent' | 'http500';

const BEHAVIOUR: Record<Fault, (s: Socket) => void> = {
  // RST instead of FIN: the client sees ECONNRESET.
  reset: (s) => s.once('data', () => s.resetAndDestroy()),
  // Bytes that are not HTTP at all.
  garbage: (s) =>
    s.once('data', () => {
      s.write('\x00\x01NOT HTTP AT ALL\r\n\r\n\xff\xfe');
      s.end();
    }),
  // Reads the request and never answers: the client times out.
  silent: (s) => s.on('data', () => {}),
  // A well-formed answer that is always an error status.
  http500: (s) => s.on('data', () => s.write('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nnope')),
};

/** Starts a server with `fault` on a free port; close it with `server.close()`. */
export async function faultServer(fault: Fault): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    BEHAVIOUR[fault](s);
  });
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { server, port: (server.address() as { port: number }).port };
}
