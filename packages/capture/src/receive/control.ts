/**
 * The runner → agent control channel: the agent holds a Server-Sent Events stream
 * (GET /control) and answers each message with an ack (POST /agent). SSE because it is one
 * long-lived GET that any HTTP client can read, needs no extra dependency, and the agent
 * simply reconnects when it drops; nothing here blocks the SUT.
 */
import type { ServerResponse } from 'node:http';
import type { ControlMessage } from '../protocol.ts';

type Payload = { type: 'phase'; phase: string | null; measured: boolean } | { type: 'finish' };

export class ControlChannel {
  private readonly clients = new Set<ServerResponse>();
  private readonly acks = new Map<number, () => void>();
  private seq = 0;
  private last: ControlMessage | null = null;
  /** Set once an agent said hello. */
  agent: { pid: number; node: string; profiling: boolean; tracing: boolean } | null = null;

  /** Attaches an agent's SSE stream and replays the latest message so a late agent catches up. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': headroom capture control\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    if (this.last) res.write(`data: ${JSON.stringify(this.last)}\n\n`);
  }

  get connected(): number {
    return this.clients.size;
  }

  /** Sends a message to every agent; resolves true once one acks, false after `timeoutMs`. */
  send(payload: Payload, timeoutMs: number, waitForAgent = true): Promise<boolean> {
    const msg = { ...payload, seq: ++this.seq } as ControlMessage;
    this.last = msg;
    for (const c of this.clients) c.write(`data: ${JSON.stringify(msg)}\n\n`);
    // With no agent connected yet, wait anyway: an agent that connects in time gets the
    // message replayed (see attach) and acks it. `waitForAgent` false skips the wait.
    if (this.clients.size === 0 && !waitForAgent) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.acks.delete(msg.seq);
        resolve(false);
      }, timeoutMs);
      this.acks.set(msg.seq, () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  ack(seq: number): void {
    this.acks.get(seq)?.();
    this.acks.delete(seq);
  }

  close(): void {
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
