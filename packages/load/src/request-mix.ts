import type { Request } from '@headroom/core';

/**
 * Picks the next request of the mix by smooth weighted round-robin (the algorithm of
 * nginx's upstream balancer): deterministic, exactly proportional over every cycle of
 * Σweights picks, and spread evenly within a cycle rather than in bursts.
 */
export class RequestMix {
  readonly #weights: number[];
  readonly #current: number[];
  readonly #sum: number;

  constructor(requests: readonly Request[]) {
    this.#weights = requests.map((r) => (r.weight > 0 ? r.weight : 0));
    this.#current = this.#weights.map(() => 0);
    this.#sum = this.#weights.reduce((a, b) => a + b, 0);
  }

  /** Index of the next request to send. */
  next(): number {
    const w = this.#weights;
    if (w.length === 1 || this.#sum === 0) return 0;
    const cur = this.#current;
    let best = 0;
    for (let i = 0; i < w.length; i++) {
      cur[i] = (cur[i] ?? 0) + (w[i] ?? 0);
      if ((cur[i] ?? 0) > (cur[best] ?? 0)) best = i;
    }
    cur[best] = (cur[best] ?? 0) - this.#sum;
    return best;
  }
}
