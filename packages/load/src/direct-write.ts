import type net from 'node:net';

/**
 * Writes a Buffer straight to a connected socket's libuv handle, the call `socket.write`
 * ends in (node's lib/internal/stream_base_commons.js `writeGeneric`), without the
 * Writable-stream bookkeeping around it. For one small request per round trip that
 * bookkeeping is a large share of the generator's own CPU per request, and the generator's
 * CPU is what caps its throughput. Uses the `stream_wrap` binding, which Node still
 * exposes through the deprecated `process.binding`; where it is missing (or the socket is
 * not connected yet) `directWrite` returns false and the caller uses `socket.write`.
 */
interface WriteReq { handle: unknown; oncomplete: () => void; async: boolean; bytes: number; buffer: Buffer | null; callback: null }
interface StreamHandle { writeBuffer(req: WriteReq, data: Buffer): number }

const WriteWrap = loadWriteWrap();

function loadWriteWrap(): (new () => WriteReq) | null {
  if (process.env['HEADROOM_STREAM_WRITE'] === '1') return null;
  try {
    const binding = (process as unknown as { binding(name: string): { WriteWrap?: new () => WriteReq } }).binding('stream_wrap');
    return typeof binding.WriteWrap === 'function' ? binding.WriteWrap : null;
  } catch {
    return null;
  }
}

const noop = (): void => {};

/** Returns 0 when written (or queued by libuv), a negative errno on failure, 1 when the caller must use `socket.write`. */
export function directWrite(socket: net.Socket, data: Buffer): number {
  const handle = (socket as unknown as { _handle: StreamHandle | null })._handle;
  if (WriteWrap === null || handle === null || socket.connecting || socket.writableLength > 0) return 1;
  const req = new WriteWrap();
  req.handle = handle;
  req.oncomplete = noop;
  req.async = false;
  req.bytes = 0;
  req.buffer = data; // keeps the bytes alive should libuv finish the write later
  req.callback = null;
  return handle.writeBuffer(req, data);
}
