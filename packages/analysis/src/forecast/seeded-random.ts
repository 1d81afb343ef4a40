/**
 * A small seeded PRNG so permutation tests give the same answer on every run: mulberry32
 * (Tommy Ettinger's public-domain 32-bit generator; period 2^32, ample for a few thousand
 * shuffles of a history).
 */

/** Returns a function that yields uniform numbers in [0, 1), determined by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
