import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { portOwner } from './port-owner.ts';

describe('portOwner', () => {
  it('finds this process listening on a port and nothing once it closed', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const owner = portOwner(port);
    expect(owner?.pid).toBe(process.pid);
    expect(owner?.command).toContain('node');
    await new Promise((r) => server.close(r));
    expect(portOwner(port)).toBeNull();
  });
});
