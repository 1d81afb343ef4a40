/**
 * A small, fast, seedable PRNG for reproducible load schedules: xoshiro128** 1.1 (Blackman &
 * Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021; reference C at
 * prng.di.unimi.it), 128 bits of state, period 2¹²⁸ − 1, 32-bit outputs. Its state is filled
 * from the seed with SplitMix64 (Steele, Lea & Flood, OOPSLA 2014), as its authors recommend.
 */

/** A xoshiro128** stream: next() returns a uint32. */
export interface Xoshiro128 {
  next(): number;
  /** A double uniform on (0, 1), from 53 random bits (never exactly 0 or 1). */
  nextUniform(): number;
}

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 outputs from a seed, as unsigned 64-bit bigints. */
export function splitMix64(seed: bigint, count: number): bigint[] {
  let state = BigInt.asUintN(64, seed);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

/** A generator from four 32-bit state words (not all zero). */
export function xoshiro128FromState(state: readonly [number, number, number, number]): Xoshiro128 {
  let [s0, s1, s2, s3] = state.map((v) => v >>> 0) as [number, number, number, number];
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const next = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  // 27 + 26 bits as in the Mersenne Twister reference genrand_res53, offset by ½ so 0 cannot occur.
  const nextUniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6) + 0.5) / 9007199254740992;
  return { next, nextUniform };
}

/** A generator seeded from an integer via SplitMix64. */
export function xoshiro128(seed: number | bigint): Xoshiro128 {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const [a, b] = splitMix64(BigInt(seed), 2) as [bigint, bigint];
  const words: [number, number, number, number] = [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)];
  return xoshiro128FromState(words);
}
