import type { DataRow, DataSpec } from '@headroom/core';

/** Where a VU is when it asks for a row. */
export interface PickContext {
  /** Globally unique VU id. */
  vu: number;
  random(): number;
}

/**
 * Picks rows of one data source by its policy. Unique policies partition the rows across
 * workers deterministically (worker i of n: rows i, i+n, i+2n …; VU ids are interleaved the
 * same way), so no two workers hand out the same row and no coordination is needed.
 */
export class DataPicker {
  readonly name: string;
  readonly #rows: readonly DataRow[];
  readonly #spec: DataSpec;
  readonly #worker: number;
  readonly #workers: number;
  #next = 0;

  constructor(spec: DataSpec, rows: readonly DataRow[], worker: number, workers: number) {
    this.name = spec.name;
    this.#spec = spec;
    this.#rows = rows;
    this.#worker = worker;
    this.#workers = workers;
  }

  /** The row for the next iteration, or undefined when the source is exhausted and set to stop. */
  pick(ctx: PickContext): DataRow | undefined {
    const n = this.#rows.length;
    let i: number;
    switch (this.#spec.pick) {
      case 'random':
        return this.#rows[Math.floor(ctx.random() * n)];
      case 'sequential':
        i = this.#next++;
        break;
      case 'unique-per-iteration':
        i = this.#worker + this.#workers * this.#next++;
        break;
      case 'unique-per-vu':
        i = ctx.vu;
        break;
    }
    if (i >= n && this.#spec.whenExhausted === 'stop') return undefined;
    return this.#rows[i % n];
  }
}
