/** The spans of one trace as a tree, timed from the moment the generator meant to send the request. */
import type { SpanRow } from '@headroom/capture';

/** One span and its children, earliest first. */
export interface SpanNode {
  span_id: string;
  name: string;
  kind: string;
  service: string;
  /** Start relative to the request's intended send, ms. */
  offset_ms: number;
  duration_ms: number;
  status_code: string;
  attributes: Record<string, unknown>;
  children: SpanNode[];
}

/** Spans linked by parent id; a span whose parent is not among them is a root. `t0` is epoch ms. */
export function spanTree(spans: readonly SpanRow[], t0: number): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const s of spans) {
    nodes.set(s.span_id, {
      span_id: s.span_id,
      name: s.name,
      kind: s.kind,
      service: s.service,
      offset_ms: s.start_ms - t0,
      duration_ms: s.duration_ms,
      status_code: s.status_code,
      attributes: parseAttributes(s.attributes),
      children: [],
    });
  }
  const roots: SpanNode[] = [];
  for (const s of spans) {
    const n = nodes.get(s.span_id)!;
    const parent = s.parent_span_id ? nodes.get(s.parent_span_id) : undefined;
    (parent && parent !== n ? parent.children : roots).push(n);
  }
  const sortAll = (ns: SpanNode[]): void => {
    ns.sort((a, b) => a.offset_ms - b.offset_ms);
    for (const n of ns) sortAll(n.children);
  };
  sortAll(roots);
  return roots;
}

/** The stored JSON attributes; a span whose attributes do not parse keeps none rather than failing the tree. */
function parseAttributes(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
