/// <reference lib="dom" />
/**
 * Span waterfalls of the slowest traced requests: one row per span, indented by depth, its bar
 * placed on the request's own time line (0 = the request's start, the intended send when the
 * generator sampled it), so queueing before the service saw the request shows as a gap.
 */
import type { SlowRequest } from '../../data/report-data.ts';
import { fmtMs } from './format.ts';
import { registry } from './registry.ts';

function row(label: string, title: string, fromMs: number, durMs: number, totalMs: number, depth: number, cls: string): HTMLElement {
  const r = document.createElement('div');
  r.className = 'wf-row';
  const name = document.createElement('div');
  name.className = 'wf-name';
  name.style.paddingLeft = `${depth * 14}px`;
  name.textContent = label;
  name.title = title;
  const track = document.createElement('div');
  track.className = 'wf-track';
  const b = document.createElement('div');
  b.className = `wf-bar ${cls}`;
  const span = Math.max(totalMs, 1e-9);
  b.style.left = `${Math.min(100, Math.max(0, (fromMs / span) * 100))}%`;
  b.style.width = `${Math.max(0.4, Math.min(100, (durMs / span) * 100))}%`;
  const t = document.createElement('span');
  t.className = 'wf-time';
  t.textContent = `+${fmtMs(fromMs)} · ${fmtMs(durMs)}`;
  track.append(b);
  r.append(name, track, t);
  return r;
}

/** Draws the waterfall of one slow request into `el`, recorded under `id`. */
export function mountWaterfall(el: HTMLElement, req: SlowRequest, id: string): void {
  const total = Math.max(req.latencyMs, ...req.spans.map((s) => s.offsetMs + s.durationMs));
  const what = req.source === 'generator' ? 'request (from its intended send)' : 'request (server span)';
  el.append(row(what, req.request, 0, req.latencyMs, total, 0, 'wf-request'));
  for (const s of req.spans) {
    el.append(
      row(`${s.name} (${s.kind}, ${s.service})`, s.detail, s.offsetMs, s.durationMs, total, s.depth + 1, s.error ? 'wf-error' : 'wf-span'),
    );
  }
  registry.waterfalls[id] = req.spans.length + 1;
}
