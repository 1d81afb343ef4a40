/**
 * The workload of bench/pinning-cv.ts: a CPU-bound task of ~50-100 µs per call (copy and sort
 * 2 000 numbers, then sum a slice), deterministic so the only variance is the machine's.
 */
import { defineBench } from '@headroom/core';

const data = Float64Array.from({ length: 2000 }, (_, i) => ((i * 2654435761) % 4294967296) / 4294967296);

export default defineBench({
  name: 'pinning-workload',
  runs: 5,
  time: '100ms',
  warmup: '50ms',
  tasks: {
    sort2000: () => {
      const copy = data.slice().sort();
      let s = 0;
      for (let i = 0; i < copy.length; i += 7) s += copy[i] as number;
      return s;
    },
  },
});
