/**
 * Quickstart microbenchmark: three ways to serialise the same small order, the kind of
 * payload the orders example service returns.
 *
 *   headroom bench scenarios/quickstart.bench.ts
 *
 * Each task runs `runs` times in a fresh process pinned to `cpus`, interleaved across tasks;
 * compare two bench runs with `headroom compare latest~1 latest`.
 */
import { defineBench } from '@headroom/core';

interface Order {
  id: number;
  sku: string;
  quantity: number;
  priceCents: number;
  tags: string[];
}

const order: Order = { id: 1042, sku: 'a1-blue', quantity: 3, priceCents: 1999, tags: ['gift', 'express'] };

/** Escapes a string for JSON; a fast path for the common case of nothing to escape. */
function jsonString(s: string): string {
  return /["\\\u0000-\u001f]/.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A serialiser specialised for the Order shape, like fast-json-stringify generates from a schema. */
function stringifyOrder(o: Order): string {
  let tags = '';
  for (let i = 0; i < o.tags.length; i++) tags += (i === 0 ? '' : ',') + jsonString(o.tags[i] as string);
  return `{"id":${o.id},"sku":${jsonString(o.sku)},"quantity":${o.quantity},"priceCents":${o.priceCents},"tags":[${tags}]}`;
}

// Same output, so the comparison is fair.
if (stringifyOrder(order) !== JSON.stringify(order)) throw new Error('stringifyOrder disagrees with JSON.stringify');

export default defineBench({
  name: 'quickstart-serialise',
  // cpus: [1],        // default: the machine's last CPU
  runs: 10,
  time: '80ms',
  warmup: '30ms',
  tasks: {
    'JSON.stringify': () => JSON.stringify(order),
    'hand-written': () => stringifyOrder(order),
    'JSON.stringify (replacer)': () => JSON.stringify(order, ['id', 'sku', 'quantity', 'priceCents', 'tags']),
  },
});
