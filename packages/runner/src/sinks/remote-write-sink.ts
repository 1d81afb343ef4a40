/**
 * `outputs.prometheusRemoteWrite`: pushes the run's figures (the same families as the scrape
 * endpoint, prometheus-sink.ts) to a Prometheus remote-write receiver every second and once
 * more when the run ends, as k6's experimental-prometheus-rw output does.
 *
 * The wire format is Prometheus remote write 1.0 (https://prometheus.io/docs/specs/remote_write_spec/):
 * a protobuf `WriteRequest` (prompb/remote.proto, types.proto) compressed with Snappy's block
 * format, POSTed with `Content-Encoding: snappy`. Both encoders are a few lines and written here:
 * protobuf's varint and length-delimited fields (protobuf.dev/programming-guides/encoding), and
 * Snappy blocks made of literal elements only (google/snappy format_description.txt), which
 * every decoder reads; the payloads are a few KB a second, so compressing them is not worth a
 * dependency. A push that fails is a warning, never a failed run: counters are cumulative, so
 * the next push carries what a failed one had.
 */
import type { Scenario } from '@headroom/core';
import type { BusEvent, Sink } from '../bus.ts';
import { redactString } from '../redact.ts';
import { RunFigures, type MetricFamily } from './prometheus-sink.ts';

/** Seconds between pushes: the figures change once a merged second. */
const PUSH_EVERY_MS = 1000;
/** A push that takes longer is abandoned (the next one carries its counts). */
const PUSH_TIMEOUT_MS = 5000;

/** Pushes {@link RunFigures} to `outputs.prometheusRemoteWrite.url` each second the figures moved, and once at the end. */
export class RemoteWriteSink implements Sink {
  readonly name = 'prometheus remote write';
  readonly #url: string;
  readonly #figures: RunFigures;
  readonly #warn: (message: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #changed = false;
  #warned = false;
  /** Pushes that the receiver took (a diagnostic for tests). */
  pushed = 0;

  constructor(scenario: Scenario, warn: (message: string) => void) {
    this.#url = scenario.outputs.prometheusRemoteWrite!.url;
    this.#figures = new RunFigures(scenario.name);
    this.#warn = warn;
  }

  onEvent(e: BusEvent): void {
    if (this.#figures.onEvent(e)) this.#changed = true;
    if (e.type === 'run-start' && this.#timer === null) {
      this.#timer = setInterval(() => {
        if (this.#changed && this.#inFlight === null) void this.#push();
      }, PUSH_EVERY_MS);
      this.#timer.unref();
    }
  }

  /** The last push, with the final figures and status. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#inFlight;
    // A run that failed before its load began has no figures to send.
    if (this.#figures.runId !== '') await this.#push();
  }

  #push(): Promise<void> {
    this.#changed = false;
    const body = snappyBlock(writeRequest(this.#figures.families(), Date.now()));
    this.#inFlight = fetch(this.#url, {
      method: 'POST',
      body,
      headers: {
        'content-encoding': 'snappy',
        'content-type': 'application/x-protobuf',
        'x-prometheus-remote-write-version': '0.1.0',
        'user-agent': 'headroom',
      },
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    })
      .then(async (res) => {
        if (res.ok) this.pushed++;
        else this.#fail(`HTTP ${res.status} ${(await res.text()).slice(0, 200).trim()}`);
      })
      .catch((err: Error) => this.#fail(err.message))
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  #fail(why: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#warn(
      `outputs.prometheusRemoteWrite: a push to ${redactString(this.#url)} failed (${why}); the run goes on, later pushes carry the counts`,
    );
  }
}

/** A `WriteRequest` of one sample per series at `timestampMs`; labels sorted by name, `__name__` first among them as the spec asks. */
export function writeRequest(families: readonly MetricFamily[], timestampMs: number): Uint8Array {
  const w = new ProtoWriter();
  for (const f of families)
    for (const s of f.samples) {
      const labels = Object.entries({ __name__: s.name, ...s.labels }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      w.message(1, (ts) => {
        for (const [name, value] of labels)
          ts.message(1, (l) => {
            l.string(1, name);
            l.string(2, value);
          });
        ts.message(2, (sample) => {
          sample.double(1, s.value);
          sample.varint(2, timestampMs);
        });
      });
    }
  return w.bytes();
}

/** Protobuf's wire format, the parts a WriteRequest needs: varints, doubles, strings and nested messages. */
class ProtoWriter {
  readonly #parts: number[] = [];

  varint(field: number, v: number): void {
    this.#key(field, 0);
    this.#parts.push(...varint(v));
  }

  double(field: number, v: number): void {
    this.#key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.#parts.push(...b);
  }

  string(field: number, v: string): void {
    this.#bytes(field, Buffer.from(v, 'utf8'));
  }

  message(field: number, fill: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    fill(inner);
    this.#bytes(field, inner.bytes());
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }

  #bytes(field: number, b: Uint8Array): void {
    this.#key(field, 2);
    this.#parts.push(...varint(b.length));
    for (const x of b) this.#parts.push(x);
  }

  #key(field: number, wire: number): void {
    this.#parts.push(...varint(field * 8 + wire));
  }
}

/**
 * An unsigned varint, as protobuf and Snappy's length preamble both write it: 7 bits a byte, low
 * first, the high bit set on all but the last (safe up to 2^53).
 */
function varint(v: number): number[] {
  const out: number[] = [];
  let n = v;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * A Snappy block holding `data` as literals: the uncompressed length as a varint, then literal
 * elements of up to 65,536 bytes, each a tag byte (61 << 2: the length − 1 follows in two bytes,
 * little-endian) and the bytes themselves (format_description.txt, sections 1 and 2.1).
 */
export function snappyBlock(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [Buffer.from(varint(data.length))];
  for (let at = 0; at < data.length; at += 65_536) {
    const chunk = data.subarray(at, Math.min(data.length, at + 65_536));
    const len = chunk.length - 1;
    chunks.push(Buffer.from([61 << 2, len & 0xff, len >>> 8]), Buffer.from(chunk));
  }
  return new Uint8Array(Buffer.concat(chunks));
}
