/** `headroom traces slow` as text: each slow request, then its span tree. */
import type { SlowTracesResult, SpanNode } from '@headroom/analysis';

function renderTree(nodes: readonly SpanNode[], indent: string, lines: string[]): void {
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    const route = typeof n.attributes['url.path'] === 'string' ? ` ${n.attributes['url.path']}` : '';
    lines.push(
      `${indent}${last ? '└─' : '├─'} ${n.name}${route} (${n.kind}, ${n.service}) +${n.offset_ms.toFixed(1)}ms ${n.duration_ms.toFixed(1)}ms${n.status_code === 'error' ? ' ERROR' : ''}`,
    );
    renderTree(n.children, indent + (last ? '   ' : '│  '), lines);
  });
}

/** One numbered block per request: latency, request, phase, outcome, trace id, then the tree. */
export function formatSlowTraces(r: SlowTracesResult): string {
  const lines: string[] = [];
  r.traces.forEach((t, i) => {
    lines.push(
      `${i + 1}. ${t.latency_ms.toFixed(1)}ms  ${t.request}  phase ${t.phase}  ${t.error ?? `status ${t.status}`}  trace ${t.trace_id}`,
    );
    if (t.spans.length === 0) lines.push('   (no spans received for this trace: is tracing on in the SUT?)');
    renderTree(t.spans, '   ', lines);
  });
  return lines.length > 0 ? lines.join('\n') : 'no sampled requests';
}
