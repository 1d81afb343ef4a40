/**
 * Seeded uniforms for permutation tests and simulations, so they give the same answer on
 * every run: the xoshiro128** stream of @headroom/internal (one PRNG for the whole product: the load engine's Poisson arrivals use it too).
 */
import { xoshiro128 } from '@headroom/internal';

/** Returns a function that yields uniform numbers in (0, 1), determined by `seed`. */
export function seededRandom(seed: number): () => number {
  const g = xoshiro128(seed);
  return () => g.nextUniform();
}

/** Fisher–Yates shuffle of `a` in place (Knuth, TAOCP vol. 2, Algorithm 3.4.2P). */
export function shuffleInPlace(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
}
