import { xoshiro128 } from '@headroom/internal';
import type { Address } from '../connection.ts';
import { VuClient } from './vu-client.ts';
import type { VuSinks } from './vu-client.ts';

/**
 * A worker's virtual users, kept across its phases and steps: a VU's connection, cookie jar,
 * iteration count and place in unique-per-VU data carry over from one phase to the next, as a
 * k6 VU lives for its whole scenario. Each unit (phase or step) borrows VUs for its run and
 * gives them back when it ends.
 *
 * Opening connections is the dearest thing a flow does (a socket, a connect, an accept on the
 * target, and the first iteration's code still cold): when a phase's first arrivals each had
 * to open one, a 7,000 flows/s phase on one core spent its first 50 ms opening 350 of them and
 * took 450 ms to get back on schedule. `prepare` opens a unit's initial VUs before its start,
 * while the worker waits for it.
 *
 * VU ids are interleaved across workers (worker i of n owns ids i, i+n, …), globally unique.
 */
export class VuPool {
  readonly #address: Address;
  readonly #worker: number;
  readonly #workers: number;
  readonly #seed: number;
  readonly #all: VuClient[] = [];
  /** VUs no unit holds, in the order they were given back (the most recently used last). */
  readonly #free: VuClient[] = [];

  constructor(address: Address, o: { worker: number; workers: number; seed: number }) {
    this.#address = address;
    this.#worker = o.worker;
    this.#workers = o.workers;
    this.#seed = o.seed;
  }

  /** Makes sure `n` free VUs exist with their connections opening (before a unit's start). */
  prepare(n: number): void {
    while (this.#free.length < n) this.#free.unshift(this.#create());
    for (const v of this.#free.slice(-n)) v.connect();
  }

  /** A VU for a unit: a free one (the most recently used first, its connection warm) or a new one. */
  take(sinks: VuSinks): VuClient {
    const v = this.#free.pop() ?? this.#create();
    v.bind(sinks);
    return v;
  }

  /** Gives a VU back when its unit ended; one whose request was dropped mid-flight has a closed connection and reopens it. */
  give(v: VuClient): void {
    this.#free.push(v);
  }

  /** Closes every connection (the worker is done). */
  close(): void {
    for (const v of this.#all) v.close();
  }

  #create(): VuClient {
    const id = this.#worker + this.#workers * this.#all.length;
    const rng = xoshiro128(this.#seed * 1_000_003 + id);
    const v = new VuClient(id, this.#address, () => rng.nextUniform());
    this.#all.push(v);
    return v;
  }
}
