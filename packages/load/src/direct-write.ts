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
interface WriteReq {
  handle: unknown;
  oncomplete: () => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  callback: null;
}
interface StreamHandle {
  writeBuffer(req: WriteReq, data: Buffer): number;
}
interface StreamWrapBinding {
  WriteWrap?: new () => WriteReq;
  streamBaseState?: Int32Array;
  kLastWriteWasAsync?: number;
}

const binding = loadBinding();
const WriteWrap = binding?.WriteWrap ?? null;
const streamState = binding?.streamBaseState ?? null;
const LAST_WRITE_WAS_ASYNC = binding?.kLastWriteWasAsync ?? -1;

function loadBinding(): StreamWrapBinding | null {
  if (process.env['HEADROOM_STREAM_WRITE'] === '1') return null;
  try {
    const b = (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap');
    return typeof b.WriteWrap === 'function' ? b : null;
  } catch {
    return null;
  }
}

const noop = (): void => {};

// A write that the kernel takes whole at once (uv_try_write, the usual case for a small
// request) never hands its request object to libuv (node's src/stream_base.cc
// StreamBase::Write), so one object serves every such write; only a write that went
// async keeps its object, and the next write makes a new one.
let spare: WriteReq | null = null;

/** Returns 0 when written (or queued by libuv), a negative errno on failure, 1 when the caller must use `socket.write`. */
export function directWrite(socket: net.Socket, data: Buffer): number {
  const handle = (socket as unknown as { _handle: StreamHandle | null })._handle;
  if (WriteWrap === null || handle === null || socket.connecting || socket.writableLength > 0) return 1;
  const req = spare ?? new WriteWrap();
  spare = null;
  req.handle = handle;
  req.oncomplete = noop;
  req.async = false;
  req.bytes = 0;
  req.buffer = data; // keeps the bytes alive should libuv finish the write later
  req.callback = null;
  const err = handle.writeBuffer(req, data);
  if (err === 0 && streamState !== null && streamState[LAST_WRITE_WAS_ASYNC] === 0) {
    req.buffer = null;
    spare = req;
  }
  return err;
}
